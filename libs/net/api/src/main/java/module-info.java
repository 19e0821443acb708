/** The API of the {@code net} library: the only part of it other libraries can see. */
module flexos.net.api {
    requires transitive flexos.core;
    exports flexos.net.api;
}
