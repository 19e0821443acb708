package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.TimeZone;

/**
 * JVM-global state: each attack changes one default that every compartment of the image shares. None has a goal
 * beyond that; the probe sees the change by comparing the shared state before and after.
 */
public final class GlobalState {

    private GlobalState() {
    }

    /** Replaces {@code System.out} with a stream that swallows everything. */
    public static final class SetOut extends HostileLibrary {
        public SetOut() {
            super("set-out");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            return 0;
        }
    }

    /** Points {@code java.io.tmpdir} somewhere the attacker chose. */
    public static final class SetProperty extends HostileLibrary {
        public SetProperty() {
            super("set-property");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            System.setProperty("java.io.tmpdir", "/tmp/flexos-hostile-tmpdir");
            return 0;
        }
    }

    /** Sets the default locale to Turkish, which changes what {@code toUpperCase()} does to every {@code i}. */
    public static final class SetLocale extends HostileLibrary {
        public SetLocale() {
            super("set-locale");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            Locale.setDefault(Locale.of("tr", "TR"));
            return 0;
        }
    }

    /** Sets the default time zone. */
    public static final class SetTimeZone extends HostileLibrary {
        public SetTimeZone() {
            super("set-timezone");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
            return 0;
        }
    }

    /** A provider of its own first in the list: every later {@code getInstance} of every compartment asks it. */
    public static final class InsertProvider extends HostileLibrary {
        public InsertProvider() {
            super("insert-provider");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            Security.insertProviderAt(new Provider("FlexosHostile", "1", "a provider of the attacker") {
            }, 1);
            return 0;
        }
    }

    /** Routes every compartment's connections through a proxy of its choosing. */
    public static final class SetProxySelector extends HostileLibrary {
        public SetProxySelector() {
            super("set-proxy-selector");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            ProxySelector.setDefault(ProxySelector.of(new InetSocketAddress("127.0.0.1", 17999)));
            return 0;
        }
    }

    /** Installs the handler that sees every uncaught exception of every thread. */
    public static final class SetUncaughtHandler extends HostileLibrary {
        public SetUncaughtHandler() {
            super("set-uncaught-handler");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            Thread.setDefaultUncaughtExceptionHandler((thread, error) -> { });
            return 0;
        }
    }
}
