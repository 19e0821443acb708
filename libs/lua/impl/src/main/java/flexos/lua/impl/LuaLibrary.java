package flexos.lua.impl;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.lua.api.ScriptEngine;

import java.util.Map;
import java.util.Set;

/**
 * The {@code lua} library: a {@link LuaEngine}, LuaJ's Lua interpreter in Redis's sandbox. It calls no other library;
 * the only thing a script reaches is the {@link flexos.lua.api.ScriptHost} its caller hands it for one run.
 */
public final class LuaLibrary implements Library {

    @Override
    public String name() {
        return "lua";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(ScriptEngine.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        return LibraryInstance.of(Map.of(ScriptEngine.class, new LuaEngine()), () -> { });
    }
}
