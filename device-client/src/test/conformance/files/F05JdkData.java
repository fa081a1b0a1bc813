// The JDK's own data, which it reads from files under java.home on HotSpot and from the heap's copy on a device:
// time-zone rules (lib/tzdb.dat), and the locale data behind DateTimeFormatter's month and day names.
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.zone.ZoneRules;
import java.util.Locale;

public class F05JdkData {
    public static void main(String[] args) {
        Instant summer = Instant.parse("2020-07-01T12:00:00Z");
        Instant winter = Instant.parse("2020-01-15T12:00:00Z");
        for (String id : new String[] {"America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Sydney", "UTC"}) {
            ZoneRules rules = ZoneId.of(id).getRules();
            System.out.println(id + ": summer " + rules.getOffset(summer) + ", winter " + rules.getOffset(winter)
                    + ", daylight in summer " + rules.isDaylightSavings(summer));
        }
        ZoneId newYork = ZoneId.of("America/New_York");
        System.out.println("next transition after 2020-01-01: "
                + newYork.getRules().nextTransition(Instant.parse("2020-01-01T00:00:00Z")));
        ZonedDateTime meeting = ZonedDateTime.of(LocalDateTime.of(2021, 3, 14, 1, 30), newYork);
        System.out.println("meeting " + meeting + ", an hour later " + meeting.plusHours(1));
        System.out.println("in Tokyo " + meeting.withZoneSameInstant(ZoneId.of("Asia/Tokyo")));
        try {
            ZoneId.of("Mars/Olympus_Mons");
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }

        LocalDate date = LocalDate.of(2020, 3, 4);
        for (String pattern : new String[] {"dd MMM yyyy", "EEEE, MMMM d", "EEE d MMM uuuu", "QQQ yyyy", "dd/MM/yy"}) {
            System.out.println(pattern + " -> " + DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(date));
        }
        System.out.println("parsed " + LocalDate.parse("15 Aug 2019", DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH)));
        System.out.println("ISO " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(meeting));
        System.out.println("medium " + DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(Locale.US).format(date));
    }
}
