/** The API of the {@code vfs} library: the only part of it other libraries can see. */
module flexos.vfs.api {
    requires transitive flexos.core;
    exports flexos.vfs.api;
}
