import { Redactor } from '../../src/http/redact';

describe('Redactor: credentials inside URLs', () => {
  const r = new Redactor();

  it.each([
    ['https://user:pw@host/x', 'https://[REDACTED]@host/x'],
    ['see http://admin:s3cr3t@acme.service-now.com/api now', 'see http://[REDACTED]@acme.service-now.com/api now'],
    ['postgres://svc:p%40ss@db:5432/masync', 'postgres://[REDACTED]@db:5432/masync'],
    ['s3+https://AKIDEXAMPLE:wJalrXUtnFEMI@bucket/key', 's3+https://[REDACTED]@bucket/key'],
    ['a raw @ in the password: https://u:p@ss@host/x', 'a raw @ in the password: https://[REDACTED]@host/x'],
    ['token only: https://ghp_abcdef123456@github.com/o/r.git', 'token only: https://[REDACTED]@github.com/o/r.git'],
    ['{"url":"https://u:pw@h/x","n":1}', '{"url":"https://[REDACTED]@h/x","n":1}'],
  ])('%s', (text, expected) => {
    expect(r.redact(text)).toBe(expected);
  });

  it.each([
    'mail bob@example.com about https://host/path?q=a@b',
    'https://host/users/@me and git@github.com:o/r.git',
    'ftp://files.example.com/pub',
  ])('leaves text without userinfo alone: %s', (text) => {
    expect(r.redact(text)).toBe(text);
  });

  it('redactValue strips userinfo in nested values', () => {
    expect(r.redactValue({ sink: { instance: 'https://admin:pw@acme.service-now.com' }, links: ['http://v:pw@mlflow/#/models/a'] })).toEqual({
      sink: { instance: 'https://[REDACTED]@acme.service-now.com' },
      links: ['http://[REDACTED]@mlflow/#/models/a'],
    });
  });
});

describe('Redactor: AWS credentials', () => {
  const r = new Redactor();

  it('scrubs a SigV4 Authorization value and presigned-URL parameters', () => {
    const auth = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/eu-west-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
    expect(r.redact(`authorization: ${auth}`)).toBe('authorization: AWS4-HMAC-SHA256 [REDACTED]');
    expect(r.redact('https://h/x?X-Amz-Credential=AKID%2F2026&X-Amz-Security-Token=FwoGZX&X-Amz-Signature=abc123&x=1')).toBe(
      'https://h/x?X-Amz-Credential=[REDACTED]&X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]&x=1',
    );
  });

  it('scrubs secret keys and session tokens by name in values and JSON text', () => {
    expect(r.redactValue({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI', sessionToken: 'FwoGZXIvYXdz' } })).toEqual({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: '[REDACTED]', sessionToken: '[REDACTED]' },
    });
    expect(r.redact('{"SecretAccessKey":"wJalrXUtnFEMI","SessionToken":"FwoGZXIvYXdz"}')).toBe('{"SecretAccessKey":"[REDACTED]","SessionToken":"[REDACTED]"}');
  });
});
