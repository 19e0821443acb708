package flexos.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The parameters CONFIG GET and CONFIG SET know. Every parameter here changes what the server does when it is set;
 * a parameter the server does not implement is not registered, so CONFIG SET answers it with Redis's error for an
 * unknown parameter instead of a silent OK. A parameter whose other values the server cannot honour (for example
 * {@code save} before persistence exists) accepts only the values that are true of it and refuses the others with a
 * reason.
 */
final class ServerConfig {

    /** One parameter: its value as CONFIG GET prints it, and how a new value takes effect. */
    interface Parameter {
        String name();

        String get();

        /**
         * Applies {@code value}.
         *
         * @throws IllegalArgumentException with the reason Redis gives after "CONFIG SET failed (possibly related to
         *                                  argument 'name') - ", when the value is refused; nothing changes then
         */
        void set(String value);

        default boolean immutable() {
            return false;
        }
    }

    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    void register(Parameter p, String... aliasNames) {
        if (byName.putIfAbsent(p.name(), p) != null) {
            throw new IllegalArgumentException("config parameter " + p.name() + " is registered twice");
        }
        for (String a : aliasNames) {
            aliases.put(a, p.name());
        }
    }

    /** Replaces the parameter of the same name (another part of the server now owns it). */
    void replace(Parameter p) {
        if (byName.replace(p.name(), p) == null) {
            byName.put(p.name(), p);
        }
    }

    /** The parameter named {@code name} or one of its aliases (any case), or {@code null}. */
    Parameter lookup(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Parameter p = byName.get(lower);
        return p != null ? p : byName.get(aliases.getOrDefault(lower, ""));
    }

    /** Every name CONFIG GET may report, parameters first, then aliases, with the parameter each names. */
    List<Map.Entry<String, Parameter>> names() {
        List<Map.Entry<String, Parameter>> out = new ArrayList<>();
        byName.forEach((n, p) -> out.add(Map.entry(n, p)));
        aliases.forEach((a, n) -> out.add(Map.entry(a, byName.get(n))));
        return out;
    }

    // ---- typed parameters ----

    static Parameter string(String name, Supplier<String> get, Consumer<String> set) {
        return new Parameter() {
            public String name() {
                return name;
            }

            public String get() {
                return get.get();
            }

            public void set(String value) {
                set.accept(value);
            }
        };
    }

    static Parameter immutable(String name, Supplier<String> get) {
        return new Parameter() {
            public String name() {
                return name;
            }

            public String get() {
                return get.get();
            }

            public void set(String value) {
                throw new IllegalArgumentException("can't set immutable config");
            }

            public boolean immutable() {
                return true;
            }
        };
    }

    static Parameter integer(String name, long min, long max, LongSupplier get, LongConsumer set) {
        return string(name, () -> Long.toString(get.getAsLong()), v -> {
            long n;
            try {
                n = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("argument couldn't be parsed into an integer");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
            }
            set.accept(n);
        });
    }

    static Parameter memory(String name, long max, LongSupplier get, LongConsumer set) {
        return string(name, () -> Long.toString(get.getAsLong()), v -> {
            long n = parseMemory(v);
            if (n < 0) {
                throw new IllegalArgumentException("argument must be a memory value");
            }
            if (n > max) {
                throw new IllegalArgumentException("argument must be between 0 and " + max + " inclusive");
            }
            set.accept(n);
        });
    }

    static Parameter bool(String name, java.util.function.BooleanSupplier get, Consumer<Boolean> set) {
        return string(name, () -> get.getAsBoolean() ? "yes" : "no", v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            if (!lower.equals("yes") && !lower.equals("no")) {
                throw new IllegalArgumentException("argument must be 'yes' or 'no'");
            }
            set.accept(lower.equals("yes"));
        });
    }

    /** Redis's {@code memtoull}: a number with an optional k, kb, m, mb, g or gb unit (any case); -1 if malformed. */
    static long parseMemory(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"},
                {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }
}
