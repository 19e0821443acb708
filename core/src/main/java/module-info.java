/**
 * The FlexOS-J core: the component model, image configuration, the image builder, the mechanism interface and one
 * package per mechanism, gates and compartment memory. Libraries depend on this module only for
 * {@link flexos.core.component.Library}.
 */
module flexos.core {
    requires org.snakeyaml.engine.v2;

    exports flexos.core.component;
    exports flexos.core.metadata;
    exports flexos.core.config;
    exports flexos.core.mechanism;
    exports flexos.core.mechanism.fcall;
    exports flexos.core.mechanism.module;
    exports flexos.core.mechanism.mpk;
    // The PKRU register and glibc's pkey_* calls: the mpk mechanism's own, and the benchmark's; no library's.
    exports flexos.core.mechanism.mpk.cpu to flexos.bench;
    exports flexos.core.mechanism.process;
    exports flexos.core.memory;
    exports flexos.core.image;
    exports flexos.core.hardening;

    uses flexos.core.component.Library;
    uses flexos.core.mechanism.Mechanism;

    // A mechanism is added by its package and one line here (and its twin in META-INF/services).
    provides flexos.core.mechanism.Mechanism with
            flexos.core.mechanism.fcall.FcallMechanism,
            flexos.core.mechanism.module.ModuleMechanism,
            flexos.core.mechanism.mpk.MpkMechanism,
            flexos.core.mechanism.process.ProcessMechanism;
}
