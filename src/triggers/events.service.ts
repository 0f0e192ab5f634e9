// What business systems report: order status changes (upsert the order, send the matching
// notification once per order and status) and generic named events that automations of
// type `event` react to. Unknown customers are created from the payload, and only once the
// whole event is known to be good: a request answered 4xx changes nothing.
import { Injectable } from '@nestjs/common';
import { DomainError, type FieldIssue } from '../common/domain-error';
import { CustomersService } from '../customers/customers.service';
import type { CreateCustomerBody } from '../customers/dto/customer.dto';
import type { UpdateOrderBody } from '../customers/dto/order.dto';
import { OrdersService } from '../customers/orders/orders.service';
import { TriggerClock } from './clock';
import type { CustomerEventBody, OrderEventBody } from './dto/event.dto';
import type { EventOptions, OrderStatusOptions } from './dto/trigger.dto';
import { newOrderFields, orderStatusOutranks, orderStatusPatch } from './order-events';
import { TriggerRunnerService, type FireOutcome } from './trigger-runner.service';
import { TriggersRepository } from './triggers.repository';

type StoredOrder = { id: number; customerId: number; status: string };
type OrderPlan =
  { kind: 'create' } | { kind: 'update'; order: StoredOrder; patch: UpdateOrderBody } | { kind: 'stale'; order: StoredOrder };

export interface Notification {
  triggerId: number;
  /** false: this (order, status) or event already fired for the trigger: nothing new was sent. */
  fired: boolean;
  messageId: string | null;
  channel: string | null;
  status: string | null;
  /** Why a firing made no message (no reachable channel for the trigger's consent rule). */
  reason: string | null;
}

@Injectable()
export class EventsService {
  constructor(
    private readonly customers: CustomersService,
    private readonly orders: OrdersService,
    private readonly triggers: TriggersRepository,
    private readonly runner: TriggerRunnerService,
    private readonly clock: TriggerClock,
  ) {}

  /** Upserts the order by its external id, then fires the order_status triggers for this status. */
  async orderEvent(body: OrderEventBody) {
    // Every check of the order first: the customer is created only for an event that will be taken.
    const plan = await this.orderPlan(body);
    const { customerId, created: customerCreated } = await this.customerOf(body);
    const { order, stale } = await this.upsertOrder(body, customerId, plan);
    const notifications: Notification[] = [];
    if (!stale) {
      const matching = (await this.triggers.active(['order_status'])).filter(
        (t) => (t.config as unknown as OrderStatusOptions).orderStatus === body.status,
      );
      for (const trigger of matching) {
        const outcome = await this.runner.fire(trigger, {
          where: (p) => `c.id = ${p.add(order.customerId, '::int')}`,
          occurrenceKey: (p) => p.add(`order:${order.id}:${body.status}`, '::text'),
          data: { orderId: order.id, orderNumber: body.order.externalId, orderStatus: body.status },
        });
        notifications.push(notificationOf(trigger.id, outcome));
      }
    }
    return {
      order: { id: order.id, externalId: body.order.externalId, status: order.status },
      customerId: order.customerId,
      customerCreated,
      stale,
      notifications,
    };
  }

  /** Records the event on the customer's timeline and fires the event triggers named by it. */
  async customerEvent(body: CustomerEventBody) {
    const { customerId, created: customerCreated } = await this.customerOf(body);
    const event = await this.triggers.recordEvent(body.name, customerId, body.properties, this.clock.now());
    const occurrence = `event:${body.name}:${body.idempotencyKey ?? `id-${event.id}`}`;
    const matching = (await this.triggers.active(['event'])).filter((t) => (t.config as unknown as EventOptions).eventName === body.name);
    const notifications: Notification[] = [];
    for (const trigger of matching) {
      const outcome = await this.runner.fire(trigger, {
        where: (p) => `c.id = ${p.add(customerId, '::int')}`,
        occurrenceKey: (p) => p.add(occurrence, '::text'),
        data: { event: body.name, properties: body.properties },
      });
      notifications.push(notificationOf(trigger.id, outcome));
    }
    return { eventId: event.id.toString(), customerId, customerCreated, notifications };
  }

  /** The customer by id, or by externalId, email, phone in that order; created from the payload when none matches. */
  private async customerOf(body: {
    customerId?: number;
    customer?: CreateCustomerBody;
  }): Promise<{ customerId: number; created: boolean }> {
    if (body.customerId !== undefined) {
      if (!(await this.triggers.liveCustomer(body.customerId)))
        throw DomainError.validation([{ path: 'customerId', message: `customer ${body.customerId} not found` }]);
      return { customerId: body.customerId, created: false };
    }
    const customer = body.customer as CreateCustomerBody;
    const found = await this.findCustomer(customer);
    if (found !== null) return { customerId: found, created: false };
    try {
      const created = await this.customers.create(customer, 'events');
      return { customerId: created.id, created: true };
    } catch (error) {
      // Two events for one new customer at once: the other request created it first.
      const again = await this.findCustomer(customer);
      if (again !== null) return { customerId: again, created: false };
      throw prefixed(error, 'customer');
    }
  }

  private async findCustomer(customer: CreateCustomerBody): Promise<number | null> {
    const keys: Array<{ externalId?: string; email?: string; phone?: string }> = [];
    if (customer.externalId) keys.push({ externalId: customer.externalId });
    if (customer.email) keys.push({ email: customer.email });
    if (customer.phone) keys.push({ phone: customer.phone });
    if (!keys.length)
      throw DomainError.validation([{ path: 'customer', message: 'give externalId, email or phone to find or create the customer' }]);
    for (const key of keys) {
      const { items } = await this.customers.lookup(key).catch((error: unknown) => {
        throw prefixed(error, 'customer', 'query.');
      });
      if (items.length) return items[0].id;
    }
    return null;
  }

  /**
   * What the event will do to its order, checked without writing: create it (its fields as
   * create checks them: a total or items, money, currency, dates), update it (the patch as
   * update checks it), or nothing (an older status). Bad fields are a 400 under `order`.
   */
  private async orderPlan(body: OrderEventBody): Promise<OrderPlan> {
    const existing = await this.triggers.orderByExternalId(body.order.externalId);
    if (!existing) {
      this.check(() => this.orders.checkFields(newOrderFields(body), true));
      return { kind: 'create' };
    }
    if (orderStatusOutranks(existing.status, body.status)) return { kind: 'stale', order: existing };
    const full = await this.orders.get(existing.id);
    const patch = orderStatusPatch(body, full.attributes);
    this.check(() => this.orders.checkFields(patch, false));
    return { kind: 'update', order: existing, patch };
  }

  private check(run: () => void): void {
    try {
      run();
    } catch (error) {
      throw prefixed(error, 'order');
    }
  }

  /**
   * Creates the order or updates it, as planned. An event older than the order's status (a
   * "shipped" retried after "delivered") changes nothing and notifies nobody.
   */
  private async upsertOrder(
    body: OrderEventBody,
    customerId: number,
    plan: OrderPlan,
  ): Promise<{ order: { id: number; customerId: number; status: string }; stale: boolean }> {
    if (plan.kind === 'stale') return { order: plan.order, stale: true };
    if (plan.kind === 'update') return { order: await this.updateOrder(plan.order.id, plan.patch), stale: false };
    try {
      return { order: await this.orders.create({ ...newOrderFields(body), customerId }), stale: false };
    } catch (error) {
      // Created meanwhile by a concurrent delivery of the same webhook: update it instead.
      const current = await this.triggers.orderByExternalId(body.order.externalId);
      if (!current) throw prefixed(error, 'order');
      if (orderStatusOutranks(current.status, body.status)) return { order: current, stale: true };
      const full = await this.orders.get(current.id);
      return { order: await this.updateOrder(current.id, orderStatusPatch(body, full.attributes)), stale: false };
    }
  }

  private updateOrder(id: number, patch: UpdateOrderBody) {
    return this.orders.update(id, patch).catch((error: unknown) => {
      throw prefixed(error, 'order');
    });
  }
}

function notificationOf(triggerId: number, outcome: FireOutcome): Notification {
  const message = outcome.messages[0];
  return {
    triggerId,
    fired: outcome.fired > 0,
    messageId: message ? message.id.toString() : null,
    channel: message?.channel ?? null,
    status: message?.status ?? null,
    reason: outcome.unreachable > 0 ? 'no reachable channel' : null,
  };
}

/** A validation error of a nested service, with its paths under the event's field. */
function prefixed(error: unknown, root: string, strip = ''): unknown {
  if (!(error instanceof DomainError) || !error.issues.length) return error;
  const issues: FieldIssue[] = error.issues.map((i) => {
    const path = strip && i.path.startsWith(strip) ? i.path.slice(strip.length) : i.path;
    return { path: path === '(body)' ? root : `${root}.${path}`, message: i.message };
  });
  return new DomainError(error.code, issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}
