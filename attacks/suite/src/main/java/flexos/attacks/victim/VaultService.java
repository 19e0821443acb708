package flexos.attacks.victim;

import flexos.attacks.api.Borrower;
import flexos.attacks.api.Vault;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * The victim: it keeps its secret at the start of its compartment's private heap, in a static field, and, after
 * {@link #lend}, in the block it lent. {@link #reset} is public Java but not part of the {@link Vault} API: no other
 * library should be able to call it.
 */
public final class VaultService implements Vault {

    /** Public so that a hostile library of the same Java module can name it, as C code links to a global. */
    public static volatile long sealed;

    private static final byte PUBLIC_DATA = 0x11;

    private final MemorySegment secretCell;
    private final MemorySegment lent;
    /** Where {@link #transferCounted} counts. */
    private final MemorySegment counter;
    private long secret;
    private boolean lentOut;
    /** The two accounts of {@link #transfer}: their sum is always {@link #BALANCE}. */
    private long checking = BALANCE;
    private long savings;
    private String lastTransfer = "";
    private static final long BALANCE = 1_000_000;
    /**
     * The lock {@link #intact} audits under: a string constant, as code that wants one lock for every instance often
     * has. The JVM interns it for every class loader, hence for every compartment of one JVM: the attack
     * {@code interned-monitor} holds it.
     */
    static final String AUDIT_LOCK = "flexos.attacks.vault.audit";

    VaultService(MemorySegment privateHeap) {
        this.secretCell = privateHeap.asSlice(0, 8);
        this.lent = privateHeap.asSlice(64, 64);
        this.counter = privateHeap.asSlice(128, 8);
    }

    @Override
    public void seal(long value) {
        secret = value;
        secretCell.set(ValueLayout.JAVA_LONG, 0, value);
        sealed = value;
        lent.fill(PUBLIC_DATA);
        lentOut = false;
    }

    @Override
    public long secretAddress() {
        return secretCell.address();
    }

    @Override
    public boolean intact() {
        synchronized (AUDIT_LOCK) {
            return audit();
        }
    }

    private boolean audit() {
        if (secretCell.get(ValueLayout.JAVA_LONG, 0) != secret || sealed != secret || checking + savings != BALANCE) {
            return false;
        }
        long from = 0;
        if (lentOut) {
            if (lent.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != secret) {
                return false;
            }
            from = 8;
        }
        for (long i = from; i < lent.byteSize(); i++) {
            if (lent.get(ValueLayout.JAVA_BYTE, i) != PUBLIC_DATA) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long staticState() {
        return sealed;
    }

    @Override
    public void lend(Borrower borrower) {
        lent.fill(PUBLIC_DATA);
        borrower.borrow(lent);
        // The block is the vault's again: it now holds the secret, which the borrower must not see.
        lent.fill(PUBLIC_DATA);
        lent.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, secret);
        lentOut = true;
    }

    @Override
    public void transfer(long amount) {
        checking -= amount;
        // A call between the two halves of the update, as real code logs or validates: a stack overflow that
        // strikes here leaves the accounts out of balance.
        journal(amount);
        savings += amount;
    }

    @Override
    public void transferNoted(long amount) {
        checking -= amount;
        // A lambda between the two halves, as real code makes a formatter or a callback: its call site is linked
        // (LambdaMetafactory) the first time this line runs, so that is where a nearly full stack runs out.
        LongFunction<String> note = moved -> "moved " + Long.toString(moved);
        lastTransfer = note.apply(amount);
        savings += amount;
    }

    /** A move, as {@link #transferRecorded} and {@link #transferMatched} note it. */
    private sealed interface Move permits Deposit, Withdrawal {
    }

    private record Deposit(long amount) implements Move {
    }

    private record Withdrawal(long amount) implements Move {
    }

    @Override
    public void transferRecorded(long amount) {
        checking -= amount;
        // A record's toString between the two halves: its call site is linked (ObjectMethods) the first time.
        lastTransfer = new Deposit(amount).toString();
        savings += amount;
    }

    @Override
    public void transferMatched(long amount) {
        checking -= amount;
        // A pattern switch between the two halves: its call site is linked (SwitchBootstraps) the first time.
        Move move = amount >= 0 ? new Deposit(amount) : new Withdrawal(-amount);
        lastTransfer = switch (move) {
            case Deposit d -> "in " + Long.toString(d.amount());
            case Withdrawal w -> "out " + Long.toString(w.amount());
        };
        savings += amount;
    }

    @Override
    public void transferFormatted(long amount) {
        checking -= amount;
        // String.format between the two halves: the JDK's first use of it loads and sets up its formatting.
        lastTransfer = String.format("moved %d", amount);
        savings += amount;
    }

    /** The count of moves, in the private heap, through {@link #COUNT}. */
    private static final java.lang.invoke.VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();

    @Override
    public void transferCounted(long amount) {
        checking -= amount;
        // A VarHandle access between the two halves: the call is linked the first time this line runs.
        COUNT.getAndAdd(counter, 0L, 1L);
        savings += amount;
    }

    private void journal(long amount) {
        lastTransfer = "moved " + Long.toString(amount) + " leaving " + Long.toString(checking);
    }

    /** Wipes the secret. Not exported: only the vault's own code may call it. */
    public void reset() {
        secretCell.set(ValueLayout.JAVA_LONG, 0, 0);
        secret = -1;
    }
}
