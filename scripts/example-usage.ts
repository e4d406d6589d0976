// The reference's usage, run by `npm run example` inside the generated example project (it
// imports that project's modules, so it is type-checked there, not in this repository).
import { PGlite } from '@electric-sql/pglite';
import { and, eq, inArray } from 'drizzle-orm';

import { createDb } from './src/db/client.js';
import { events, userEvents, users } from './src/db/schema.js';

const client = new PGlite('./.pglite');
const db = createDb(client);

const [ada] = await db.insert(users).values({ name: 'Ada', email: 'ada@example.com' }).returning();
const created = await db
  .insert(events)
  .values([{ title: 'Launch' }, { title: 'Retro' }, { title: 'Offsite' }])
  .returning();
const [launch, retro, offsite] = created.map((event) => event.id);

// Create a join row
await db.insert(userEvents).values({ userId: ada!.id, eventId: launch! });
// Append events (Ash's type: :append): the existing link is kept, not duplicated
await db
  .insert(userEvents)
  .values([launch!, retro!, offsite!].map((eventId) => ({ userId: ada!.id, eventId })))
  .onConflictDoNothing();

const load = async () => {
  const user = await db.query.users.findFirst({
    where: eq(users.id, ada!.id),
    with: { userEvents: { with: { event: true } } },
  });
  return user!.userEvents.map((link) => link.event.title).sort();
};
console.log('Ada with her events:        ', await load());

// Remove an event from the user (the event itself stays)
await db
  .delete(userEvents)
  .where(and(eq(userEvents.userId, ada!.id), inArray(userEvents.eventId, [retro!])));
console.log('after removing Retro:       ', await load());

const launchWithUsers = await db.query.events.findFirst({
  where: eq(events.id, launch!),
  with: { userEvents: { with: { user: true } } },
});
console.log(
  'Launch with its users:      ',
  launchWithUsers!.userEvents.map((link) => link.user.name),
);

await db.delete(users).where(eq(users.id, ada!.id));
const links = await db.select().from(userEvents);
const remaining = await db.select().from(events);
console.log(
  'deleting Ada cascades links:',
  `${links.length} links left, ${remaining.length} events kept`,
);

await client.close();
