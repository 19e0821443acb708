package flexos.analyze;

/** The analysis cannot give an answer for these inputs, for example libraries that must share a compartment but may not. */
public final class AnalysisException extends Exception {
    public AnalysisException(String message) {
        super(message);
    }
}
