package flexos.explore.budget;

/** A budget expression that cannot be read; the message says what was wrong and shows the accepted forms. */
public final class BudgetException extends IllegalArgumentException {

    public BudgetException(String message) {
        super(message);
    }
}
