package flexos.core.mechanism.process;

/**
 * A message from the other process broke the wire format or its limits ({@link MessageLimits}): a length past the
 * message, a count over its limit, an unknown tag or kind, an id that was never handed over, a value of the wrong
 * type for the method. Never shown to a caller as is: the endpoint turns it into the peer's failure
 * ({@link RpcEndpoint.PeerEvents#violated}), which stops the peer and gives the caller a {@code GateFault}.
 */
final class ProtocolViolation extends RuntimeException {

    ProtocolViolation(String what) {
        super(what, null, false, false);
    }
}
