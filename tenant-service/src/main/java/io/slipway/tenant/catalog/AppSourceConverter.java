package io.slipway.tenant.catalog;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link AppSource} by its API value, as the schema's CHECK constraint expects. */
@Converter(autoApply = true)
class AppSourceConverter implements AttributeConverter<AppSource, String> {

  @Override
  public String convertToDatabaseColumn(AppSource source) {
    return source == null ? null : source.value();
  }

  @Override
  public AppSource convertToEntityAttribute(String value) {
    return value == null ? null : AppSource.of(value);
  }
}
