package flexos.redis;

import flexos.alloc.api.Allocator;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;
import flexos.lua.api.ScriptEngine;
import flexos.net.api.Sockets;
import flexos.sched.api.Scheduler;
import flexos.vfs.api.FileSystem;

import java.util.Map;
import java.util.Set;

/**
 * The {@code redis} application library: a Redis-compatible server whose keys and values live in its compartment's
 * heap. It exports an {@link Entrypoint} and reaches the LibOS only through the gates the image hands it: the
 * allocator, libc's memory, number, hash and pattern routines, the scheduler, the sockets, the file system and the
 * Lua engine that runs its scripts.
 */
public final class RedisLibrary implements Library {

    public RedisLibrary() {
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Entrypoint.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of(Allocator.class, MemoryRoutines.class, NumberRoutines.class, HashRoutines.class,
                PatternRoutines.class, Scheduler.class, Sockets.class, FileSystem.class,
                ScriptEngine.class);
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        RedisServer server = new RedisServer(
                context.gate(Allocator.class),
                context.gate(MemoryRoutines.class),
                context.gate(NumberRoutines.class),
                context.gate(HashRoutines.class),
                context.gate(PatternRoutines.class),
                context.gate(Scheduler.class),
                context.gate(Sockets.class),
                context.gate(FileSystem.class),
                context.gate(ScriptEngine.class));
        return LibraryInstance.of(Map.of(Entrypoint.class, server), server::requestStop);
    }
}
