/**
 * Every failure to read or write a file is one of these, with a message that says what was wrong
 * and where, so that a bad or hostile file is reported, never crashed on.
 */
export class SerializationError extends Error {
  override name = 'SerializationError';
}

/** The pickle stream is malformed, or asks for something the safe unpickler does not allow. */
export class UnpicklingError extends SerializationError {
  override name = 'UnpicklingError';
}

/** The zip container is malformed (offsets, sizes, checksums). */
export class ZipError extends SerializationError {
  override name = 'ZipError';
}

/** A safetensors file does not follow the format. */
export class SafetensorsError extends SerializationError {
  override name = 'SafetensorsError';
}
