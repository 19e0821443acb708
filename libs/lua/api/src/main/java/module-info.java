/** The API of the {@code lua} library: the only part of it other libraries can see. */
module flexos.lua.api {
    requires transitive flexos.core;
    exports flexos.lua.api;
}
