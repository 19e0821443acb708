package flexos.core.metadata;

/** A function of another library, {@code lib::fn} in the metadata language. */
public record FunctionRef(String library, String function) {

    @Override
    public String toString() {
        return library + "::" + function;
    }
}
