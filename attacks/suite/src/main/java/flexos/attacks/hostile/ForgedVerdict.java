package flexos.attacks.hostile;

import flexos.attacks.api.Vault;

/**
 * Forged verdicts: the attacker prints lines that look like the probe's verdict (its current form and an older,
 * unsigned one) saying "blocked", then halts the image with status 0, so that nothing but the forgery is left.
 */
public final class ForgedVerdict {

    private ForgedVerdict() {
    }

    public static final class ForgeVerdict extends HostileLibrary {
        public ForgeVerdict() {
            super("forge-verdict");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            System.out.println("flexos-attack-verdict\tAAAAAAAAAAAAAAAAAAAAAA\tblocked\tdmF1bHQgaW50YWN0\t"
                    + "c2lnbmVkIGJ5IG5vIG9uZSBidXQgdGhlIGF0dGFja2VyIQ==");
            System.out.println("flexos-attack-result\tblocked\tvault intact; returned normally");
            System.out.flush();
            Runtime.getRuntime().halt(0);
            return 0;
        }
    }
}
