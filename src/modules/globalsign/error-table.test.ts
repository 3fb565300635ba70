import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../core/errors/index.ts';
import { classifyErrorCodes, ERROR_TABLE, errorEntryOf, UNKNOWN_ERROR } from './error-table.ts';
import { orderStateOf, STATUS_TABLE } from './status-table.ts';

describe('the GlobalSign error table', () => {
  it.each([
    ['-4007', 'client-data'],
    ['-6021', 'client-data'],
    ['-9936', 'client-data'],
    ['-6017', 'client-data'],
    ['-6018', 'client-data'],
    ['-102', 'client-data'],
    ['-103', 'client-data'],
    ['-104', 'client-data'],
    ['-105', 'client-data'],
    ['-9925', 'client-data'],
    ['-9961', 'client-data'],
    ['-4001', 'credentials'],
    ['-4201', 'source-ip'],
    ['-6101', 'ca-balance'],
    ['-9911', 'ca-balance'],
    ['-9912', 'ca-balance'],
    ['-4004', 'order-state'],
    ['-9915', 'order-state'],
    ['-9938', 'order-state'],
    ['-4016', 'order-state'],
    ['-6102', 'order-state'],
    ['-9916', 'order-state'],
    ['-4003', 'order-state'],
    ['-4147', 'order-state'],
    ['-1', 'ca-system'],
    ['-201', 'ca-system'],
    ['-300', 'ca-system'],
    ['-301', 'ca-system'],
    ['-9942', 'ca-system'],
    ['-9943', 'ca-system'],
  ])('%s is a %s problem', (code, party) => {
    expect(errorEntryOf(code).party).toBe(party);
  });

  it('marks only CA system faults retryable and flags unknown order ids', () => {
    for (const [code, e] of Object.entries(ERROR_TABLE)) {
      expect(e.retryable, code).toBe(e.party === 'ca-system');
      expect(e.meaning.length, code).toBeGreaterThan(3);
    }
    expect(errorEntryOf('-9916').notFound).toBe(true);
    expect(errorEntryOf('-4003').notFound).toBe(true);
    expect(errorEntryOf('-4004').notFound).toBe(false);
  });

  it('treats an unlisted code as a CA problem a person must read, not retried', () => {
    expect(errorEntryOf('-77777')).toBe(UNKNOWN_ERROR);
    expect(UNKNOWN_ERROR.retryable).toBe(false);
  });

  it('with several codes, the one an admin must fix first decides; retryable only if all are', () => {
    expect(classifyErrorCodes(['-102', '-4001']).party).toBe('credentials');
    expect(classifyErrorCodes(['-1', '-6101']).party).toBe('ca-balance');
    expect(classifyErrorCodes(['-1', '-201'])).toMatchObject({ party: 'ca-system', retryable: true });
    expect(classifyErrorCodes(['-1', '-77777'])).toMatchObject({ party: 'ca-system', retryable: false });
    expect(classifyErrorCodes([])).toBe(UNKNOWN_ERROR);
  });

  it('every GlobalSign error code is in the catalogue with the GLOBALSIGN_ prefix', () => {
    const codes = Object.keys(ERROR_CATALOGUE).filter((c) => c.startsWith('GLOBALSIGN_'));
    expect(codes.length).toBeGreaterThanOrEqual(15);
    expect(ERROR_CATALOGUE.GLOBALSIGN_CA_FAILURE.retryable).toBe(true);
  });
});

describe('the GlobalSign status table', () => {
  it('names statuses 1–7 and keeps 8–10 as unknown', () => {
    expect(['1', '2', '3', '4', '5', '6', '7'].map(orderStateOf)).toEqual([
      'initial',
      'waiting_phishing_check',
      'cancelled_not_issued',
      'issued',
      'cancelled_issued',
      'waiting_revocation',
      'revoked',
    ]);
    expect(['8', '9', '10', '0', '', 'x'].map(orderStateOf)).toEqual(Array(6).fill('unknown'));
    expect(STATUS_TABLE['9']?.meaning).toContain('locked');
  });
});
