package flexos.attacks.faults.buggy;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.sched.api.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code contracts} fault: a buggy application that breaks a precondition of {@code sched}'s API: it spawns a
 * task with a blank name. {@code run} returns 1 if the scheduler accepted the task.
 */
public final class ContractBreakerLibrary implements Library {

    public String name() { return "buggy"; }
    public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
    public Set<Class<?>> imports() { return Set.of(Scheduler.class); }

    public LibraryInstance instantiate(LibraryContext context) {
        Scheduler scheduler = context.gate(Scheduler.class);
        Entrypoint entry = new Entrypoint() {
            public int run(List<String> args) {
                return scheduler.spawn(" ", step -> false) > 0 ? 1 : 0;
            }
            public void requestStop() {
            }
        };
        return LibraryInstance.of(Map.of(Entrypoint.class, entry));
    }
}
