package flexos.sched.impl;

import flexos.core.hardening.ContractViolation;
import flexos.core.hardening.ContractViolation.Side;
import flexos.sched.api.Scheduler;
import flexos.sched.api.Task;

import java.util.List;

/**
 * The {@code contracts} face of a {@link CooperativeScheduler}: every call checks the preconditions of
 * {@link #CONTRACTS} before entering the scheduler and its postconditions after, and every task it spawns is
 * wrapped so that each step checks what the scheduler promises a task. It stands in for the seeds' verified
 * scheduler, whose proofs become run-time checks here. A violation throws {@link ContractViolation} naming the
 * clause and the calling library; a failed precondition leaves the scheduler untouched.
 */
final class ContractCheckedScheduler implements Scheduler {

    /** The declared contract of the {@link Scheduler} API, one clause a line. */
    static final List<String> CONTRACTS = List.of(
            "spawn: pre: name is non-null and not blank",
            "spawn: pre: task is non-null",
            "spawn, after, every: post: the id is fresh (greater than every id issued before)",
            "after: pre: delayNanos >= 0 and action is non-null",
            "every: pre: periodNanos > 0 and action is non-null",
            "cancel: pre: id was issued by this scheduler (1 <= id <= last issued id)",
            "run: pre: the scheduler is not running",
            "run: post: the scheduler is no longer running",
            "nanoTime: post: never less than a value it returned before",
            "switches: post: never less than a value it returned before",
            "Task.step: pre: maxWaitNanos >= 0, on the thread running the scheduler, one switch per step");

    private static final String LIB = "sched::";

    private final CooperativeScheduler scheduler;
    private final String caller;
    private long lastTime = Long.MIN_VALUE;
    private long lastSwitches;

    ContractCheckedScheduler(CooperativeScheduler scheduler, String caller) {
        this.scheduler = scheduler;
        this.caller = caller;
    }

    @Override
    public long spawn(String name, Task task) {
        if (name == null || name.isBlank()) {
            throw pre("spawn", "name is non-null and not blank", "name=" + quote(name));
        }
        if (task == null) {
            throw pre("spawn", "task is non-null", "task=null");
        }
        long before = scheduler.lastIssuedId();
        return fresh("spawn", before, scheduler.spawn(name, new CheckedTask(task, name)));
    }

    @Override
    public long after(long delayNanos, Runnable action) {
        if (delayNanos < 0 || action == null) {
            throw pre("after", "delayNanos >= 0 and action is non-null",
                    "delayNanos=" + delayNanos + ", action=" + action);
        }
        long before = scheduler.lastIssuedId();
        return fresh("after", before, scheduler.after(delayNanos, action));
    }

    @Override
    public long every(long periodNanos, Runnable action) {
        if (periodNanos <= 0 || action == null) {
            throw pre("every", "periodNanos > 0 and action is non-null",
                    "periodNanos=" + periodNanos + ", action=" + action);
        }
        long before = scheduler.lastIssuedId();
        return fresh("every", before, scheduler.every(periodNanos, action));
    }

    @Override
    public boolean cancel(long id) {
        if (id < 1 || id > scheduler.lastIssuedId()) {
            throw pre("cancel", "id was issued by this scheduler (1 <= id <= last issued id)",
                    "id=" + id + ", last issued id=" + scheduler.lastIssuedId());
        }
        return scheduler.cancel(id);
    }

    @Override
    public void run() {
        Thread running = scheduler.runner();
        if (running != null) {
            throw pre("run", "the scheduler is not running", "already running on thread " + running.getName());
        }
        try {
            scheduler.run();
        } finally {
            if (scheduler.runner() == Thread.currentThread()) {
                throw new ContractViolation(LIB + "run", Side.POSTCONDITION, "the scheduler is no longer running",
                        caller, "run returned while still registered as running");
            }
        }
    }

    @Override
    public void stop() {
        scheduler.stop();
    }

    @Override
    public long nanoTime() {
        long now = scheduler.nanoTime();
        if (now < lastTime) {
            throw new ContractViolation(LIB + "nanoTime", Side.POSTCONDITION,
                    "never less than a value it returned before", caller, now + " after " + lastTime);
        }
        lastTime = now;
        return now;
    }

    @Override
    public long switches() {
        long switches = scheduler.switches();
        if (switches < lastSwitches) {
            throw new ContractViolation(LIB + "switches", Side.POSTCONDITION,
                    "never less than a value it returned before", caller, switches + " after " + lastSwitches);
        }
        lastSwitches = switches;
        return switches;
    }

    private long fresh(String function, long before, long id) {
        if (id <= before) {
            throw new ContractViolation(LIB + function, Side.POSTCONDITION,
                    "the id is fresh (greater than every id issued before)", caller, "id=" + id + ", before=" + before);
        }
        return id;
    }

    private ContractViolation pre(String function, String clause, String detail) {
        return new ContractViolation(LIB + function, Side.PRECONDITION, clause, caller, detail);
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    /** What the scheduler promises a task on every step: the side of the contract that runs on each switch. */
    private final class CheckedTask implements Task {
        private final Task task;
        private final String name;
        private long switchesAtLastStep = -1;

        CheckedTask(Task task, String name) {
            this.task = task;
            this.name = name;
        }

        @Override
        public boolean step(long maxWaitNanos) {
            long switches = scheduler.switches();
            if (maxWaitNanos < 0 || scheduler.runner() != Thread.currentThread() || switches <= switchesAtLastStep) {
                throw new ContractViolation("sched::Task.step", Side.PRECONDITION,
                        "maxWaitNanos >= 0, on the thread running the scheduler, one switch per step", caller,
                        "task " + name + ": maxWaitNanos=" + maxWaitNanos + ", switches=" + switches
                                + " (previous step at " + switchesAtLastStep + ")");
            }
            switchesAtLastStep = switches;
            return task.step(maxWaitNanos);
        }
    }
}
