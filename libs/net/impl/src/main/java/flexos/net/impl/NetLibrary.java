package flexos.net.impl;

import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.net.api.Sockets;

import java.util.Map;
import java.util.Set;

/**
 * The {@code net} library: {@link NioSockets}, TCP sockets over the host's network stack, in the role lwip plays
 * in Unikraft. It calls no other library. Closing the instance closes every socket and the selector.
 */
public final class NetLibrary implements Library {

    @Override
    public String name() {
        return "net";
    }

    @Override
    public Set<Class<?>> exports() {
        return Set.of(Sockets.class);
    }

    @Override
    public Set<Class<?>> imports() {
        return Set.of();
    }

    @Override
    public LibraryInstance instantiate(LibraryContext context) {
        NioSockets sockets = new NioSockets();
        return LibraryInstance.of(Map.of(Sockets.class, sockets), sockets::close);
    }
}
