import { validateEnvironment } from './environment.variables';
import { KudakConfig } from './kudak.config';

describe('validateEnvironment', () => {
  it('applies the embedded defaults when nothing is set', () => {
    const sut = validateEnvironment({});
    expect(sut).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_DEV_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_TLS: false,
    });
    expect(sut.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('converts strings from the environment to numbers and booleans', () => {
    const sut = validateEnvironment({ PORT: '8080', TEMPORAL_DEV_PORT: '17233', TEMPORAL_TLS: 'true' });
    expect(sut.PORT).toBe(8080);
    expect(sut.TEMPORAL_DEV_PORT).toBe(17233);
    expect(sut.TEMPORAL_TLS).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(validateEnvironment({ TEMPORAL_ADDRESS: '', PORT: '' }).PORT).toBe(3000);
  });

  it('names every bad variable and the reason', () => {
    let message = '';
    try {
      validateEnvironment({ PORT: '70000', TEMPORAL_ADDRESS: 'no-port', NODE_ENV: 'staging' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('Invalid configuration');
    expect(message).toContain('PORT: PORT must not be greater than 65535');
    expect(message).toContain('TEMPORAL_ADDRESS: TEMPORAL_ADDRESS must look like host:port');
    expect(message).toContain('NODE_ENV: NODE_ENV must be one of the following values');
  });

  it('requires the key with a client certificate', () => {
    expect(() => validateEnvironment({ TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(
      'TEMPORAL_TLS_KEY_PATH: required with TEMPORAL_TLS_CERT_PATH',
    );
  });
});

describe('KudakConfig', () => {
  it('uses the embedded dev server address when TEMPORAL_ADDRESS is unset', () => {
    const sut = KudakConfig.fromEnvironment({ TEMPORAL_DEV_PORT: '17233' });
    expect(sut.temporal.externalAddress).toBeUndefined();
    expect(sut.temporal.address).toBe('127.0.0.1:17233');
    expect(sut.temporal.tls).toBeUndefined();
    expect(sut.devServer.dbFile).toMatch(/var[\\/]temporal\.sqlite$/);
  });

  it('connects to a cluster or Temporal Cloud with TLS and an API key', () => {
    const sut = KudakConfig.fromEnvironment({
      TEMPORAL_ADDRESS: 'kudak.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'kudak.a1b2c',
      TEMPORAL_API_KEY: 'secret',
    });
    expect(sut.temporal).toMatchObject({
      externalAddress: 'kudak.a1b2c.tmprl.cloud:7233',
      address: 'kudak.a1b2c.tmprl.cloud:7233',
      namespace: 'kudak.a1b2c',
      apiKey: 'secret',
      tls: {},
    });
  });
});
