package flexos.attacks;

import java.lang.reflect.Field;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A snapshot of the state every compartment of a JVM shares, taken by the probe before an attack and after it:
 * an attack that changes any of it has harmed every compartment, whatever its declared goal.
 *
 * <p>The snapshot never calls a method of an object the attacker may have installed (a {@code TimeZone} subclass,
 * a {@code Properties} subclass, a provider), since that would run hostile code in the probe: it compares
 * references, and reads the values of JDK objects only. Defaults that have no getter, or whose getter calls the
 * object ({@code TimeZone.getDefault} clones it), are read from their static fields; the probe JVM opens
 * {@code java.base}'s packages to {@code flexos.attacks} for that ({@link AttackSuite}'s command line).
 */
final class JvmGlobals {

    private final Map<String, Object> entries;

    private JvmGlobals(Map<String, Object> entries) {
        this.entries = entries;
    }

    /** The shared state now. */
    static JvmGlobals now() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("System.in", same(staticField(System.class, "in")));
        e.put("System.out", same(staticField(System.class, "out")));
        e.put("System.err", same(staticField(System.class, "err")));
        Properties properties = System.getProperties();
        e.put("system properties object", same(properties));
        if (properties.getClass() == Properties.class) {
            e.put("system properties", properties(properties));
        }
        e.put("Locale default", Locale.getDefault());
        e.put("Locale default (display)", Locale.getDefault(Locale.Category.DISPLAY));
        e.put("Locale default (format)", Locale.getDefault(Locale.Category.FORMAT));
        e.put("TimeZone default", same(staticField(java.util.TimeZone.class, "defaultTimeZone")));
        e.put("Security providers", providers());
        e.put("ProxySelector default", same(java.net.ProxySelector.getDefault()));
        e.put("CookieHandler default", same(java.net.CookieHandler.getDefault()));
        e.put("ResponseCache default", same(java.net.ResponseCache.getDefault()));
        e.put("Authenticator default", same(java.net.Authenticator.getDefault()));
        e.put("URL stream handler factory", same(staticField(java.net.URL.class, "factory")));
        e.put("URLConnection content handler factory", same(staticField(java.net.URLConnection.class, "factory")));
        e.put("SSLContext default", same(staticField(javax.net.ssl.SSLContext.class, "defaultContext")));
        e.put("HttpsURLConnection default socket factory",
                same(staticField(javax.net.ssl.HttpsURLConnection.class, "defaultSSLSocketFactory")));
        e.put("HttpsURLConnection default hostname verifier",
                same(staticField(javax.net.ssl.HttpsURLConnection.class, "defaultHostnameVerifier")));
        e.put("default uncaught exception handler", same(Thread.getDefaultUncaughtExceptionHandler()));
        e.put("shutdown hooks", shutdownHooks());
        return new JvmGlobals(e);
    }

    /** What differs between {@code this} (before) and {@code after}, one phrase per entry; empty if nothing. */
    List<String> changesIn(JvmGlobals after) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, Object> before : entries.entrySet()) {
            Object then = before.getValue();
            Object now = after.entries.get(before.getKey());
            if (then instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
                changes.addAll(propertyChanges(a, b));
            } else if (!Objects.equals(then, now)) {
                changes.add(before.getKey() + " changed");
            }
        }
        return changes;
    }

    private static List<String> propertyChanges(Map<?, ?> before, Map<?, ?> after) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<?, ?> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                changes.add("system property " + e.getKey() + " removed");
            } else if (!Objects.equals(e.getValue(), after.get(e.getKey()))) {
                changes.add("system property " + e.getKey() + " changed");
            }
        }
        for (Object key : after.keySet()) {
            if (!before.containsKey(key)) {
                changes.add("system property " + key + " added");
            }
        }
        return changes;
    }

    /** The string entries of the JDK's own properties object; a non-string entry is itself recorded. */
    private static Map<String, String> properties(Properties properties) {
        Map<String, String> copy = new TreeMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (e.getKey() instanceof String key && e.getValue() instanceof String value) {
                copy.put(key, value);
            } else {
                // Not calling the entry's methods: record only that it is there.
                copy.put("(an entry that is not a string, of " + e.getKey().getClass().getName() + ")", "");
            }
        }
        return copy;
    }

    private static List<Same> providers() {
        List<Same> list = new ArrayList<>();
        for (Provider p : Security.getProviders()) {
            list.add(same(p));
        }
        return list;
    }

    private static List<Same> shutdownHooks() {
        try {
            Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
            Object map = staticField(hooks, "hooks");
            if (map == null) {
                // The JVM is shutting down: no hook can be added any more.
                return List.of();
            }
            synchronized (hooks) {
                List<Same> list = new ArrayList<>();
                for (Object hook : ((IdentityHashMap<?, ?>) map).keySet()) {
                    list.add(same(hook));
                }
                return list;
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("java.lang.ApplicationShutdownHooks is not in this JDK", e);
        }
    }

    private static Object staticField(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the probe cannot read " + owner.getName() + "." + name
                    + " (is java.base opened to flexos.attacks?): " + e, e);
        }
    }

    private static Same same(Object object) {
        return new Same(object);
    }

    /** A reference compared by identity, whose referent's own methods are never called. */
    private static final class Same {
        private final Object referent;

        Same(Object referent) {
            this.referent = referent;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Same s && s.referent == referent;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(referent);
        }
    }
}
