/** The API of the {@code libc} library: the only part of it other libraries can see. */
module flexos.libc.api {
    requires transitive flexos.core;
    exports flexos.libc.api;
}
