/** The APIs of the attack suite's libraries: shared by every compartment, as library APIs are. */
module flexos.attacks.api {
    requires transitive flexos.core;
    exports flexos.attacks.api;
}
