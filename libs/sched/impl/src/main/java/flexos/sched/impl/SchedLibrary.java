package flexos.sched.impl;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.hardening.ContractedLibrary;
import flexos.sched.api.Scheduler;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sched} library: a {@link CooperativeScheduler}, the analogue of Unikraft's {@code uksched} API with
 * the {@code ukschedcoop} implementation. It calls no other library. Closing the instance stops the scheduler.
 * Under {@code contracts}, callers get a {@link ContractCheckedScheduler} over the same scheduler.
 */
public final class SchedLibrary implements Library, ContractedLibrary {

    @Override
    public String name() {
        return "sched";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Scheduler.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        CooperativeScheduler scheduler = new CooperativeScheduler();
        return LibraryInstance.of(Map.of(Scheduler.class, scheduler), scheduler::stop);
    }

    @Override
    public <T> T contractChecked(Class<T> api, T export, String caller) {
        if (api == Scheduler.class && export instanceof CooperativeScheduler scheduler) {
            return api.cast(new ContractCheckedScheduler(scheduler, caller));
        }
        return export;
    }

    @Override
    public List<String> contracts() {
        return ContractCheckedScheduler.CONTRACTS;
    }
}
