package flexos.attacks.api;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Set;

/**
 * The library around an attack from outside the project ({@code flexos attacks --with DIR}). Authors of attacks do
 * not extend it: the suite generates, for each attack a jar declares, a subclass in the attack's own package (so that
 * a mechanism that reloads a library's module reloads the attack's), whose constructor only calls this one.
 *
 * <p>Nothing of the attack runs when this library is made: its class is loaded and instantiated in
 * {@link #instantiate}, which the image calls inside the attack's compartment.
 */
public abstract class AttackLibrary implements Library {

    private final String name;
    private final String attackClass;

    /**
     * @param name        the attack's name, also its library's name and the name of its {@code .meta}
     * @param attackClass the binary name of its class, in the same module as the subclass: public, with a public
     *                    constructor without parameters, implementing {@link Attack}
     */
    protected AttackLibrary(String name, String attackClass) {
        this.name = name;
        this.attackClass = attackClass;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<Class<?>> exports() {
        return Set.of(Attack.class);
    }

    @Override
    public final Set<Class<?>> imports() {
        return Set.of();
    }

    /**
     * Loads the attack class from this library's module (the compartment's copy of it, under a mechanism that makes
     * one) and makes an instance.
     *
     * @throws IllegalStateException if the class is missing, is not an {@link Attack}, or cannot be constructed
     */
    @Override
    public final LibraryInstance instantiate(LibraryContext context) {
        Class<?> type = Class.forName(getClass().getModule(), attackClass);
        if (type == null) {
            // Class.forName(Module, String) finds classes of the module only: on the class path, use the loader.
            try {
                type = Class.forName(attackClass, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("attack " + name + ": no class " + attackClass + " in "
                        + getClass().getModule(), e);
            }
        }
        if (!Attack.class.isAssignableFrom(type)) {
            throw new IllegalStateException("attack " + name + ": " + attackClass + " does not implement "
                    + Attack.class.getName());
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return LibraryInstance.of(Map.of(Attack.class, (Attack) constructor.newInstance()));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("attack " + name + ": its constructor threw "
                    + e.getCause().getClass().getName(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("attack " + name + ": " + attackClass
                    + " needs a public constructor without parameters in an exported package", e);
        }
    }
}
