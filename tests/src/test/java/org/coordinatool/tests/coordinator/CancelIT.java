package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.LustreMover;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ProtocolAgent.ActionList;
import org.coordinatool.tests.support.ProtocolAgent.Limits;
import org.coordinatool.tests.support.ReceivedItem;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.junit.jupiter.api.Test;

/**
 * {@code lfs hsm_cancel}: a request still queued in the coordinator is ended in Lustre by the
 * coordinator itself (ECANCELED through liblustreapi); a running one is handed to its agent as a
 * cancel item in the agent's next {@code recv} reply.
 */
class CancelIT extends RunningServerTest {


    @Override
    String fsname() {
        return "cancel";
    }

    @Test
    void queuedRequestIsReportedCancelledToLustreByTheCoordinator() {
        long t0 = System.nanoTime();
        List<Path> files = site.createFiles("f", 2);
        Path cancelled = files.get(0);
        Fid cancelledFid = site.fid(cancelled);
        ProtocolAgent agent = site.agent(server, "mover-1");
        site.lfs("hsm_archive", files);
        CoordinatorSite.awaitPending(agent, "archive", 2);

        site.lfs("hsm_cancel", List.of(cancelled));
        // Lustre marks a cancelled running request CANCELED at once, but keeps it active until its
        // copytool (here: the coordinator) ends it; only then is the cancel itself complete.
        Await.until(WAIT, "the cancelled request ended in Lustre", () -> activeFor(cancelledFid).isEmpty()
                && site.mount().countActions("CANCEL", "SUCCEED") == 1);
        assertEquals(1, site.mount().countActions("ARCHIVE", "CANCELED"), String.join("\n", site.mount().actions()));

        ActionList list = agent.receive(Limits.UNLIMITED, WAIT);
        assertEquals(1, list.items().size(), "only the request that was not cancelled is dispatched");
        ReceivedItem item = list.items().get(0);
        assertEquals(site.fid(files.get(1)), item.fid());
        site.mover().complete(item);
        agent.done(item, 0);
        site.awaitArchived(List.of(files.get(1)), 1);
        assertFalse(site.mount().hsmState(cancelled).has(HsmFileState.ARCHIVED), "cancelled file not archived");
        assertEquals(List.of(), site.mount().activeRequests(), "nothing left active in Lustre");
        System.out.printf("CancelIT: queued request cancelled in Lustre through the coordinator, the other"
                + " archived, in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void runningRequestCancelReachesItsAgentInTheNextRecvReply() {
        long t0 = System.nanoTime();
        List<Path> files = site.createFiles("g", 1);
        ProtocolAgent agent = site.agent(server, "mover-1");
        ProtocolAgent other = site.agent(server, "mover-2");
        site.lfs("hsm_archive", files);
        ReceivedItem running = agent.receive(Limits.UNLIMITED, WAIT).items().get(0);
        LustreMover.Transfer transfer = site.mover().start(running);
        agent.recv(Limits.UNLIMITED);
        other.recv(Limits.UNLIMITED);

        site.lfs("hsm_cancel", files);
        ActionList list = agent.awaitActionList(WAIT);
        assertEquals(1, list.items().size(), list.toString());
        ReceivedItem cancel = list.items().get(0);
        assertEquals(HsmAction.CANCEL.code(), cancel.action(), cancel.json().toString());
        assertEquals(running.id(), cancel.id(), "the cancel names the running request");
        JsonNode otherStatus = other.status(4);
        assertFalse(other.hasReply("recv"), "the cancel goes to the owning agent only: " + otherStatus);

        // As a copytool would: stop the transfer, end it as cancelled in Lustre, tell the coordinator.
        transfer.cancel();
        agent.done(running, 125);
        Await.until(WAIT, "the cancel completed in Lustre", () -> site.mount().activeRequests().isEmpty()
                && site.mount().countActions("CANCEL", "SUCCEED") == 1);
        assertEquals(1, site.mount().countActions("ARCHIVE", "CANCELED"));
        JsonNode status = agent.status(4);
        assertEquals(0, status.path("running_archive").asInt(), status.toString());
        assertEquals(0, status.path("pending_archive").asInt(), status.toString());
        System.out.printf("CancelIT: running request's cancel delivered as action 23 to its agent and ended in"
                + " Lustre in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private List<ActiveRequest> activeFor(Fid fid) {
        return site.mount().activeRequests().stream().filter(r -> r.fid().equals(fid)).toList();
    }
}
