package org.mqbench.worker;

/** A config the worker refuses before sending anything: reported as error code CONFIG (the runner's exit 2). */
final class ConfigException extends RuntimeException {
  ConfigException(String message) {
    super(message);
  }
}
