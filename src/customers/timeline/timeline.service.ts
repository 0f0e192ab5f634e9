import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { CustomersRepository } from '../customers.repository';
import { decodeTimelineCursor, encodeTimelineCursor } from './timeline-cursor';
import { TimelineRepository } from './timeline.repository';

@Injectable()
export class TimelineService {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly customers: CustomersRepository,
  ) {}

  /** Messages, opens, clicks, bounces, complaints, replies, orders, consent changes and events, newest first. */
  async page(customerId: number, cursor: string | undefined, limit: number) {
    const customer = await this.customers.head(customerId);
    if (!customer || customer.erasedAt) throw DomainError.notFound('Customer', customerId);
    const before = cursor === undefined ? null : decodeTimelineCursor(cursor);
    if (cursor !== undefined && before === null) throw DomainError.validation([{ path: 'query.before', message: 'not a timeline cursor' }]);
    const rows = await this.timeline.page(customerId, before, limit);
    const last = rows[rows.length - 1];
    return {
      items: rows.map(({ at, type, id, details }) => ({ at, type, id, ...details })),
      next: rows.length === limit && last ? encodeTimelineCursor({ at: last.at, type: last.type, key: last.key }) : null,
    };
  }
}
