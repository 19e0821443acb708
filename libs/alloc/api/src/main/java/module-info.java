/** The API of the {@code alloc} library: the only part of it other libraries can see. */
module flexos.alloc.api {
    requires transitive flexos.core;
    exports flexos.alloc.api;
}
