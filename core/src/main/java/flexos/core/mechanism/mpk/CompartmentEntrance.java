package flexos.core.mechanism.mpk;

import flexos.core.mechanism.module.CallBoundary;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * An object of an mpk compartment as a thread from outside calls it ({@code Domain.entrance}): the image's entry
 * point, or what a test drives. Each call switches the thread into the compartment's rights and back, on return and
 * on exception; arguments and results pass as they are (this is the compartment's own object, not a gate). A
 * {@link Proxy}: entrances are called once per run or from tests, never on a hot path.
 */
final class CompartmentEntrance implements InvocationHandler {

    private final Object target;
    private final CallBoundary rights;

    private CompartmentEntrance(Object target, CallBoundary rights) {
        this.target = target;
        this.rights = rights;
    }

    static <T> T of(Class<T> api, T target, CallBoundary rights) {
        if (target == null) {
            return null;
        }
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api},
                new CompartmentEntrance(target, rights)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        int entered = rights.enter();
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            rights.leave(entered);
        }
    }
}
