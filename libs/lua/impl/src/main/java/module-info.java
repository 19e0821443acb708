/** The {@code lua} library's implementation. It exports nothing: other libraries reach it only through gates. */
module flexos.lua {
    requires flexos.lua.api;
    provides flexos.core.component.Library with flexos.lua.impl.LuaLibrary;
}
