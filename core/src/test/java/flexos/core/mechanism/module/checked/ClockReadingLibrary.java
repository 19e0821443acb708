package flexos.core.mechanism.module.checked;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.util.Map;
import java.util.Set;

/** A library whose code reads the clock and, on a bad day, ends the JVM: {@code ConfinementCheckTest}'s subject. */
public final class ClockReadingLibrary implements Library {

    @Override
    public String name() {
        return "clocky";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Runnable.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        Runnable run = () -> {
            if (System.nanoTime() < 0) {
                System.exit(3);
            }
        };
        return LibraryInstance.of(Map.of(Runnable.class, run));
    }
}
