package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link Role} by its API value, as the schema's CHECK constraint expects. */
@Converter
class RoleConverter implements AttributeConverter<Role, String> {

  @Override
  public String convertToDatabaseColumn(Role role) {
    return role == null ? null : role.value();
  }

  @Override
  public Role convertToEntityAttribute(String value) {
    return value == null ? null : Role.of(value);
  }
}
