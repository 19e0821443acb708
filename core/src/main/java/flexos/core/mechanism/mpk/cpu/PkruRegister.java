package flexos.core.mechanism.mpk.cpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's PKRU register, read and written by three tiny functions of machine code of ours, called
 * through critical FFM downcalls ({@code Linker.Option.critical(false)}: no thread-state transition, no safepoint
 * check, which is what makes a downcall of a few instructions cost a few nanoseconds).
 *
 * <p><b>Why our own code.</b> glibc has no function that writes the whole register: {@code pkey_set(key, rights)}
 * reads PKRU, changes one key's two bits and writes it back. A gate from one compartment to another changes two
 * keys (the caller's off, the callee's on), so with glibc it costs two {@code wrpkru} each way; a whole-register
 * write costs one. {@code wrpkru} dominates either way (about 13 ns on the AMD EPYC we measured on), so this halves
 * the gate. {@code docs/mpk-mechanism.md} has the numbers.
 *
 * <p><b>The code</b>, System V x86-64 calling convention (argument in {@code edi}, result in {@code eax};
 * {@code ecx}, {@code edx} and {@code r8} are caller-saved). {@code rdpkru} and {@code wrpkru} need
 * {@code ecx = 0}, and {@code wrpkru} needs {@code edx = 0}:
 * <pre>
 * read:   31 c9        xor    ecx, ecx
 *         0f 01 ee     rdpkru              ; eax = PKRU, edx = 0
 *         c3           ret
 * write:  89 f8        mov    eax, edi
 *         31 c9        xor    ecx, ecx
 *         31 d2        xor    edx, edx
 *         0f 01 ef     wrpkru              ; PKRU = eax
 *         c3           ret
 * swap:   31 c9        xor    ecx, ecx
 *         0f 01 ee     rdpkru
 *         41 89 c0     mov    r8d, eax     ; the old value
 *         89 f8        mov    eax, edi
 *         31 d2        xor    edx, edx
 *         0f 01 ef     wrpkru
 *         44 89 c0     mov    eax, r8d
 *         c3           ret
 * </pre>
 * {@code docs/mpk-mechanism.md} shows how to disassemble {@link #machineCode} with {@code objdump} to check this listing;
 * {@code PkruRegisterTest} checks what the code does against glibc's {@code pkey_get}.
 *
 * <p><b>The page.</b> The code is copied into a page of its own, mapped writable, then made read-and-execute
 * ({@code mprotect}) before the first call: it is never writable and executable at once, and it lies under key 0
 * like the rest of the JVM's code. It adds no new kind of gadget: glibc's {@code pkey_set} contains {@code wrpkru}
 * too. What keeps a compartment from calling either is that it cannot make a foreign call at all (no
 * {@code Linker}, no {@code SymbolLookup}, no {@code System.load}: module's confinement refuses them), and that
 * this package is not exported: on the module path no library can link to this class.
 */
public final class PkruRegister {

    private static final int READ = 0;
    private static final int WRITE = 16;
    private static final int SWAP = 32;

    /** The machine code: {@code read} at offset 0, {@code write} at 16, {@code swap} at 32; the rest is {@code int3}. */
    private static final byte[] CODE = assemble();

    private static final MethodHandle READ_PKRU;
    private static final MethodHandle WRITE_PKRU;
    private static final MethodHandle SWAP_PKRU;

    static {
        long page = PkeyCalls.mapAnonymous(PkeyCalls.PAGE);
        MemorySegment text = MemorySegment.ofAddress(page).reinterpret(PkeyCalls.PAGE);
        MemorySegment.copy(CODE, 0, text, ValueLayout.JAVA_BYTE, 0, CODE.length);
        PkeyCalls.mprotect(page, PkeyCalls.PAGE, PkeyCalls.PROT_READ | PkeyCalls.PROT_EXEC);
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(false);
        READ_PKRU = linker.downcallHandle(text.asSlice(READ), FunctionDescriptor.of(ValueLayout.JAVA_INT), critical);
        WRITE_PKRU = linker.downcallHandle(text.asSlice(WRITE), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT),
                critical);
        SWAP_PKRU = linker.downcallHandle(text.asSlice(SWAP),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), critical);
    }

    private PkruRegister() {
    }

    /** A copy of the machine code, to disassemble. */
    public static byte[] machineCode() {
        return CODE.clone();
    }

    private static byte[] assemble() {
        byte[] code = new byte[64];
        java.util.Arrays.fill(code, (byte) 0xcc);
        put(code, READ, 0x31, 0xc9, 0x0f, 0x01, 0xee, 0xc3);
        put(code, WRITE, 0x89, 0xf8, 0x31, 0xc9, 0x31, 0xd2, 0x0f, 0x01, 0xef, 0xc3);
        put(code, SWAP, 0x31, 0xc9, 0x0f, 0x01, 0xee, 0x41, 0x89, 0xc0, 0x89, 0xf8, 0x31, 0xd2, 0x0f, 0x01, 0xef,
                0x44, 0x89, 0xc0, 0xc3);
        return code;
    }

    private static void put(byte[] code, int at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            code[at + i] = (byte) bytes[i];
        }
    }

    /** The calling thread's PKRU. */
    public static int read() {
        try {
            return (int) READ_PKRU.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("rdpkru", e);
        }
    }

    /** Sets the calling thread's PKRU to {@code pkru}. */
    public static void write(int pkru) {
        try {
            WRITE_PKRU.invokeExact(pkru);
        } catch (Throwable e) {
            throw new IllegalStateException("wrpkru", e);
        }
    }

    /** Sets the calling thread's PKRU to {@code pkru}; returns the value it had. */
    public static int swap(int pkru) {
        try {
            return (int) SWAP_PKRU.invokeExact(pkru);
        } catch (Throwable e) {
            throw new IllegalStateException("rdpkru/wrpkru", e);
        }
    }
}
