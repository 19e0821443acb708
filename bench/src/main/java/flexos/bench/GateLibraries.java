package flexos.bench;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two libraries of the gate benchmark's image: {@code caller}, an application that imports {@link Echo}, and
 * {@code echo}, which exports it. The benchmark calls through the very gate the image handed {@code caller}.
 */
final class GateLibraries {

    /** Exports {@link Echo}. */
    static final class EchoLibrary implements Library {
        @Override public String name() { return "echo"; }
        @Override public Set<Class<?>> exports() { return Set.of(Echo.class); }
        @Override public Set<Class<?>> imports() { return Set.of(); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(Echo.class, new EchoService()));
        }
    }

    /** The shared heap of the last image whose caller started, where the benchmark puts shared payloads. */
    static volatile java.lang.foreign.MemorySegment sharedHeap;

    /** Imports {@link Echo}; exports an entry point only so that it can be an image's application. */
    static final class CallerLibrary implements Library {
        @Override public String name() { return "caller"; }
        @Override public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
        @Override public Set<Class<?>> imports() { return Set.of(Echo.class); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            sharedHeap = context.sharedHeap();
            Entrypoint idle = new Entrypoint() {
                @Override public int run(List<String> args) { return 0; }
                @Override public void requestStop() { }
            };
            return LibraryInstance.of(Map.of(Entrypoint.class, idle));
        }
    }

    private GateLibraries() {
    }
}
