package org.coordinatool.mover.shim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Test;

/** The rule on the connecting process's user, whatever user runs the test. */
class PeerCheckTest {

    private final UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();

    private UserPrincipal uid(int uid) throws Exception {
        return users.lookupPrincipalByName(Integer.toString(uid));
    }

    @Test
    void theAgentsOwnUserAndRootMayConnect() throws Exception {
        PeerCheck check = new PeerCheck(uid(1000), uid(0));
        assertTrue(check.allows(uid(1000)));
        assertTrue(check.allows(uid(0)));
    }

    @Test
    void anyOtherUserMayNot() throws Exception {
        PeerCheck check = new PeerCheck(uid(1000), uid(0));
        assertFalse(check.allows(uid(1001)));
        assertFalse(check.allows(uid(65534)));
    }
}
