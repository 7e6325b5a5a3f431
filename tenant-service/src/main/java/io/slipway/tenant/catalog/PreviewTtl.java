package io.slipway.tenant.catalog;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * A preview TTL as a request names it: {@code 7d}, {@code 36h}, {@code 90m} (the form the
 * platform's own settings take) or ISO-8601 ({@code P7D}, {@code PT36H}), between {@link #MIN} and
 * {@link #MAX}. The database checks the same bounds.
 */
@Constraint(validatedBy = PreviewTtl.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@interface PreviewTtl {

  Duration MIN = Duration.ofHours(1);
  Duration MAX = Duration.ofDays(90);

  /** Longer than any TTL needs: what is parsed stays small. */
  int LENGTH_MAX = 32;

  String message() default
      "must be a duration such as 7d, 36h or P7D, from 1h to 90d (a preview idle that long is deleted)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Reads and writes TTLs in the form requests and answers use. */
  final class Text {
    private Text() {}

    /** The TTL {@code text} names; null when it names none or one out of bounds. */
    static Duration parse(String text) {
      if (text == null || text.isEmpty() || text.length() > LENGTH_MAX) {
        return null;
      }
      Duration ttl;
      try {
        ttl = DurationStyle.detectAndParse(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
      return ttl.compareTo(MIN) < 0 || ttl.compareTo(MAX) > 0 ? null : ttl;
    }

    /**
     * {@code ttl} in the largest unit that states it exactly: {@code 7d}, {@code 36h}, {@code 90m}.
     */
    static String format(Duration ttl) {
      long seconds = ttl.toSeconds();
      if (seconds % 86_400 == 0) {
        return seconds / 86_400 + "d";
      }
      if (seconds % 3_600 == 0) {
        return seconds / 3_600 + "h";
      }
      return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
  }

  /** Null is valid (the field left out); anything else must parse within the bounds. */
  class Check implements ConstraintValidator<PreviewTtl, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || Text.parse(value) != null;
    }
  }
}
