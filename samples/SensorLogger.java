import java.time.Duration;
import java.util.List;
import org.vheap.api.Lease;
import org.vheap.api.Leases;
import org.vheap.api.ResourceUnavailableException;

/**
 * Logs a sensor through a lease on the device's resource. When the app moves to a device without that sensor,
 * the lease is lost (a listener hears it, and the lease turns invalid): the logger looks up another sensor the
 * new device offers and goes on. Needs the app API on the class path (vheap-api/target/classes or its jar).
 * Arguments: [N] [sleepMillis].
 */
public class SensorLogger {
    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long sleep = args.length > 1 ? Long.parseLong(args[1]) : 200;
        Leases.addListener(lost -> System.out.println("lease lost: " + lost.resource() + " is not on this device"));
        Lease lease = anySensor("sensor:temperature");
        for (int i = 1; i <= n; i++) {
            if (!lease.valid()) {
                lease = anySensor(lease.resource());
            }
            System.out.println(i + " " + lease.resource() + " " + lease.read());
            Thread.sleep(sleep);
        }
        lease.close();
    }

    /** The preferred sensor, or else any other sensor the device offers. */
    static Lease anySensor(String preferred) {
        List<String> offered = Leases.resources();
        String pick = offered.contains(preferred) ? preferred
                : offered.stream().filter(r -> r.startsWith("sensor:")).findFirst()
                        .orElseThrow(() -> new ResourceUnavailableException("no sensor on this device: " + offered));
        System.out.println("using " + pick);
        return Leases.acquire(pick, Lease.Kind.SHARED, Duration.ofSeconds(30));
    }
}
