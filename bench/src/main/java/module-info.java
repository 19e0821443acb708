/** JMH benchmarks of FlexOS-J gates. Run from the class path by bench/run-gate-bench. */
module flexos.bench {
    requires flexos.core;
    requires jmh.core;
    requires flexos.sched.api;
    exports flexos.bench;
}
