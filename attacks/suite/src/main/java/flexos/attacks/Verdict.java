package flexos.attacks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The verdict of one attack JVM, authenticated so that the hostile code, which shares the JVM's standard output,
 * cannot forge it.
 *
 * <p>The suite makes a random key and a random nonce per run and writes them, as one line, to the probe's standard
 * input, which it then closes. The probe reads its standard input to the end before any hostile library is loaded
 * (so nothing is left there for the attacker), and signs its verdict with HmacSHA256 over the attack, the mechanism,
 * the nonce, the outcome and the detail. The suite accepts only a line whose MAC is valid: a forged, malformed or
 * missing verdict is no verdict, and the suite then records the attack as succeeded.
 *
 * <p>The limit: the key is in the probe's memory. An attack that can read the probe's memory can forge a verdict,
 * but it has then already done what a memory-read row shows; a mechanism that blocks those rows protects the key too.
 */
final class Verdict {

    /** The line prefix of a verdict; lines with this prefix that do not verify are counted as forged. */
    static final String PREFIX = "flexos-attack-verdict\t";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 16;
    /** At most this much of the probe's standard input is read: the key line is short. */
    private static final int MAX_INPUT = 4096;

    private final Mac mac;
    private final String attack;
    private final String mechanism;
    private final String nonce;
    private final String keyLine;

    private Verdict(byte[] key, String attack, String mechanism, String nonce) {
        try {
            // The provider is fixed and the MAC initialised now, before any hostile code runs: a provider the
            // attacker inserts later (Security.insertProviderAt) never sees the key.
            mac = Mac.getInstance(ALGORITHM, "SunJCE");
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
        this.attack = attack;
        this.mechanism = mechanism;
        this.nonce = nonce;
        this.keyLine = Base64.getEncoder().encodeToString(key) + " " + nonce + "\n";
        // Runs the signing path once, so that every class it needs is loaded and initialised before the attack.
        line(Outcome.SUCCEEDED, "warm-up");
    }

    /** The suite's side of one run: a fresh key and nonce. */
    static Verdict fresh(String attack, String mechanism) {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[KEY_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(key);
        random.nextBytes(nonce);
        return new Verdict(key, attack, mechanism, Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    }

    /** The line the suite writes to the probe's standard input. */
    String keyLine() {
        return keyLine;
    }

    /**
     * The probe's side: reads the key line from {@code in} to its end, then the MAC is ready.
     *
     * @throws IllegalStateException if the input is not one key line
     */
    static Verdict read(InputStream in, String attack, String mechanism) throws IOException {
        byte[] bytes = in.readNBytes(MAX_INPUT);
        // Drain whatever else is there (nothing, from the suite), so the attacker finds the input empty.
        while (in.read() >= 0) {
            in.skip(MAX_INPUT);
        }
        String[] fields = new String(bytes, StandardCharsets.US_ASCII).strip().split(" ");
        if (fields.length != 2) {
            throw new IllegalStateException("the probe's standard input must be one line: KEY NONCE");
        }
        byte[] key = Base64.getDecoder().decode(fields[0]);
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("the verdict key must be " + KEY_BYTES + " bytes");
        }
        return new Verdict(key, attack, mechanism, fields[1]);
    }

    /** The signed line that reports {@code outcome} with {@code detail}. */
    String line(Outcome outcome, String detail) {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(detail.getBytes(StandardCharsets.UTF_8));
        return PREFIX + nonce + "\t" + outcome.word() + "\t" + encoded + "\t" + sign(outcome.word(), encoded);
    }

    /**
     * The outcome and detail of {@code line}, if it is a verdict of this run with a valid MAC; empty for anything
     * else (another run's nonce, a bad MAC, a malformed line).
     */
    Optional<AttackResult> verify(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] fields = line.substring(PREFIX.length()).split("\t", -1);
        if (fields.length != 4 || !fields[0].equals(nonce)) {
            return Optional.empty();
        }
        byte[] expected = sign(fields[1], fields[2]).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, fields[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Outcome outcome;
        String detail;
        try {
            outcome = Outcome.valueOf(fields[1].toUpperCase(java.util.Locale.ROOT));
            detail = new String(Base64.getUrlDecoder().decode(fields[2]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new AttackResult(attack, mechanism, outcome, detail));
    }

    private synchronized String sign(String outcome, String encodedDetail) {
        String message = attack + "\n" + mechanism + "\n" + nonce + "\n" + outcome + "\n" + encodedDetail;
        return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
