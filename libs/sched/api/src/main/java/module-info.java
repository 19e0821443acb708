/** The API of the {@code sched} library: the only part of it other libraries can see. */
module flexos.sched.api {
    requires transitive flexos.core;
    exports flexos.sched.api;
}
