package flexos.core.config;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The mechanism's own keys of one compartment entry, as {@link ConfigParser} hands them to the compartment's
 * mechanism ({@link flexos.core.mechanism.Mechanism#readOptions}). Every reading method returns empty when the
 * entry does not set the key, and throws a {@link ConfigException} that points at the value (file:line:col) when
 * the value is malformed, with a fix, exactly as the parser reports its own keys.
 *
 * <p>Only the keys the mechanism declared in {@link flexos.core.mechanism.Mechanism#compartmentKeys()} can be
 * read; asking for another is a programming error ({@link IllegalArgumentException}).
 */
public interface OptionReader {

    /** The compartment's name, for messages. */
    String compartment();

    /** Whether the entry sets {@code key}. */
    boolean has(String key);

    /**
     * One of {@code values}, by its configuration name.
     *
     * @param fix what to write instead of an unknown name, listing the choices
     */
    <E> Optional<E> choice(String key, E[] values, Function<E, String> configName, String fix) throws ConfigException;

    /**
     * A duration such as {@code 500ms}: a whole number of ns, us, ms or s, in nanoseconds.
     *
     * @param minimumNanos the shortest accepted; {@code why} says what a shorter one would break
     */
    OptionalLong duration(String key, long minimumNanos, String why) throws ConfigException;

    /**
     * A whole number from {@code min} to {@code max}.
     *
     * @param what what the number is, for the message that refuses another value ("a CPU number")
     */
    OptionalLong whole(String key, long min, long max, String what) throws ConfigException;

    /** A single name (a plain or quoted YAML string). */
    Optional<String> text(String key, String example) throws ConfigException;

    /** An error at the value of {@code key}, for a value that reads well but does not fit. */
    ConfigException error(String key, String problem, String fix);
}
