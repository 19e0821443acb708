package flexos.explore.profile;

/** An exploration profile is missing or wrong; the message names the profile and the key. */
public final class ProfileException extends RuntimeException {

    public ProfileException(String message) {
        super(message);
    }
}
