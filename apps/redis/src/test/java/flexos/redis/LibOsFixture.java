package flexos.redis;

import flexos.alloc.api.Allocator;
import flexos.alloc.impl.AllocLibrary;
import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.memory.ImageMemory;
import flexos.core.memory.MemoryRegion;
import flexos.libc.api.HashRoutines;
import flexos.libc.api.MemoryRoutines;
import flexos.libc.api.NumberRoutines;
import flexos.libc.api.PatternRoutines;
import flexos.libc.impl.LibcLibrary;
import flexos.net.api.Sockets;
import flexos.net.impl.NetLibrary;
import flexos.sched.api.Scheduler;
import flexos.sched.impl.SchedLibrary;
import flexos.lua.api.ScriptEngine;
import flexos.lua.impl.LuaLibrary;
import flexos.vfs.impl.VfsLibrary;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-compartment image built by hand, as the fcall mechanism builds it: the real alloc, libc, sched and net
 * libraries are instantiated, and every import of a library is wired straight to another's export. The redis library
 * sees them only through {@link LibraryContext#gate}.
 */
final class LibOsFixture implements AutoCloseable {

    private final ImageMemory memory = new ImageMemory(1 << 20);
    private final MemoryRegion heap;
    private final Map<Class<?>, Object> exports = new HashMap<>();
    private final List<LibraryInstance> instances = new ArrayList<>();

    LibOsFixture(long heapBytes) {
        heap = memory.createPrivateHeap("app", heapBytes);
        try {
            instantiate(new AllocLibrary());
            instantiate(new LibcLibrary());
            instantiate(new SchedLibrary());
            instantiate(new NetLibrary());
            instantiate(new VfsLibrary());
            instantiate(new LuaLibrary());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    LibraryInstance instantiate(Library library) {
        LibraryInstance instance = library.instantiate(new LibraryContext() {
            @Override
            public String compartment() {
                return "app";
            }

            @Override
            public <T> T gate(Class<T> api) {
                if (!library.imports().contains(api)) {
                    throw new IllegalArgumentException(library.name() + " does not import " + api.getName());
                }
                return api.cast(exports.get(api));
            }

            @Override
            public MemorySegment privateHeap() {
                return heap.segment();
            }

            @Override
            public MemorySegment sharedHeap() {
                return memory.sharedHeap().segment();
            }
        });
        instances.add(instance);
        for (Class<?> api : library.exports()) {
            exports.put(api, instance.export(api));
        }
        return instance;
    }

    /** A fresh redis server wired to the libraries. */
    RedisServer redis() {
        return (RedisServer) instantiate(new RedisLibrary()).export(Entrypoint.class);
    }

    <T> T get(Class<T> api) {
        return api.cast(exports.get(api));
    }

    Allocator allocator() {
        return get(Allocator.class);
    }

    /** An event loop over the real libraries that is never started: commands are fed to it directly. */
    EventLoop detachedLoop() {
        Blocks blocks = new Blocks(allocator(), get(MemoryRoutines.class), get(HashRoutines.class));
        return new EventLoop(new ServerOptions("127.0.0.1", 0), blocks, get(NumberRoutines.class),
                get(PatternRoutines.class), get(Scheduler.class), get(Sockets.class), () -> false, () -> { },
                get(ScriptEngine.class));
    }

    @Override
    public void close() {
        for (int i = instances.size() - 1; i >= 0; i--) {
            try {
                instances.get(i).close();
            } catch (RuntimeException ignored) {
                // Closing the rest matters more than one library's complaint.
            }
        }
        memory.close();
    }
}
