import { explainStartupError } from '../../../src/startup-errors';

const config = { PORT: 3000, host: '127.0.0.1', DATABASE_URL: 'postgres://parley:s3cret@db.example:5432/parley' };
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('explainStartupError: one line an operator can act on', () => {
  it('names the port in use and how to fix it', () => {
    expect(explainStartupError(withCode('listen EADDRINUSE: address already in use', 'EADDRINUSE'), config)).toBe(
      'port 3000 on 127.0.0.1 is already in use: set PORT to a free port, or stop the process that holds it',
    );
  });

  it('names a port it may not listen on', () => {
    expect(explainStartupError(withCode('listen EACCES: permission denied 0.0.0.0:80', 'EACCES'), { ...config, PORT: 80 })).toMatch(/^cannot listen on port 80: permission denied/);
  });

  it('names DATABASE_URL when PostgreSQL cannot be reached, without its password', () => {
    const cause = withCode('connect ECONNREFUSED 10.1.2.3:5432', 'ECONNREFUSED');
    const message = explainStartupError(Object.assign(new Error('start-up failed'), { cause }), config);
    expect(message).toMatch(/^cannot reach PostgreSQL at DATABASE_URL \(postgres:\/\/parley:\*\*\*@db\.example:5432\/parley\): connect ECONNREFUSED/);
    expect(message).not.toContain('s3cret');
    expect(message).toMatch(/Is it running, and is DATABASE_URL right\?$/);
  });

  it('keeps any other error\'s own message, and works before the configuration could be read', () => {
    expect(explainStartupError(new Error('invalid configuration: PORT: Too big'), undefined)).toBe('invalid configuration: PORT: Too big');
    expect(explainStartupError(withCode('listen EADDRINUSE', 'EADDRINUSE'), undefined)).toBe('listen EADDRINUSE');
  });
});
