import { describe, expect, it } from 'vitest';
import { extractWrapper } from './schema-validator.ts';

describe('extractWrapper', () => {
  it('cuts the wrapper out of the body and carries the inherited namespace declarations', () => {
    const xml =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="https://system.globalsign.com/kb/ws/v1/">' +
      '<s:Body><v1:GetOrderByOrderID><Request/></v1:GetOrderByOrderID></s:Body></s:Envelope>';
    expect(extractWrapper(xml)).toBe(
      '<v1:GetOrderByOrderID xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="https://system.globalsign.com/kb/ws/v1/"><Request/></v1:GetOrderByOrderID>',
    );
  });
});
