/** The {@code sched} library's implementation. It exports nothing: other libraries reach it only through gates. */
module flexos.sched {
    requires flexos.sched.api;
    provides flexos.core.component.Library with flexos.sched.impl.SchedLibrary;
}
