/**
 * The FlexOS-J core: the component model, image configuration, the image builder, the mechanism interface,
 * gates and compartment memory. Libraries depend on this module only for {@link flexos.core.component.Library}.
 */
module flexos.core {
    requires org.snakeyaml.engine.v2;

    exports flexos.core.component;
    exports flexos.core.metadata;
    exports flexos.core.config;
    exports flexos.core.mechanism;
    exports flexos.core.memory;
    exports flexos.core.image;
    exports flexos.core.hardening;
    exports flexos.core.text;

    uses flexos.core.component.Library;
}
