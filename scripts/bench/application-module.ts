/**
 * Application code around the schema: what makes a repository big. A module is ten files of about
 * 1-2 KB that query the schema but declare no table or entity, so the scan lists and reads them
 * and a cheap text test drops them (the cost the scale cases measure). Unchanged from the first
 * bench, so the figures stay comparable across runs.
 */
import type { Orm } from './projects.js';

export function applicationModule(orm: Orm, module: number): Record<string, string> {
  const name = `feature${module}`;
  const Name = `Feature${module}`;
  const ormImports =
    orm === 'drizzle'
      ? `import { and, eq, desc } from 'drizzle-orm'\n\nimport { db } from '../../db/client'\nimport { events, users } from '../../db/schema'`
      : `import { Repository } from 'typeorm'\n\nimport { AppDataSource } from '../../data-source'\nimport { Event } from '../../entities/event.entity'\nimport { User } from '../../entities/user.entity'`;
  const query =
    orm === 'drizzle'
      ? `const rows = await db.select().from(users).where(and(eq(users.id, userId))).orderBy(desc(users.createdAt)).limit(limit)\n    const upcoming = await db.select().from(events).limit(limit)`
      : `const rows = await this.users.find({ where: { id: userId }, take: limit })\n    const upcoming = await this.events.find({ take: limit })`;
  const repositories =
    orm === 'drizzle'
      ? ''
      : `  private readonly users: Repository<User> = AppDataSource.getRepository(User)\n  private readonly events: Repository<Event> = AppDataSource.getRepository(Event)\n\n`;
  return {
    [`${name}.service.ts`]: `${ormImports}

import { ${Name}Dto, to${Name}Dto } from './${name}.dto'
import { ${name.toUpperCase()}_PAGE_SIZE } from './${name}.constants'

/** Reads what ${name} shows for a user and the events around them. */
export class ${Name}Service {
${repositories}  async listForUser(userId: string, limit = ${name.toUpperCase()}_PAGE_SIZE): Promise<${Name}Dto[]> {
    ${query}
    return rows.map((row) => to${Name}Dto(row, upcoming.length))
  }

  async countForUser(userId: string): Promise<number> {
    const items = await this.listForUser(userId, 1000)
    return items.length
  }
}
`,
    [`${name}.controller.ts`]: `import { ${Name}Service } from './${name}.service'
import { validate${Name}Query } from './${name}.validator'

export interface Request {
  params: Record<string, string>
  query: Record<string, string | undefined>
}

/** HTTP handlers for ${name}. */
export class ${Name}Controller {
  constructor(private readonly service = new ${Name}Service()) {}

  async list(request: Request) {
    const query = validate${Name}Query(request.query)
    const items = await this.service.listForUser(request.params.userId ?? '', query.limit)
    return { items, total: items.length, page: query.page }
  }

  async count(request: Request) {
    return { total: await this.service.countForUser(request.params.userId ?? '') }
  }
}
`,
    [`${name}.dto.ts`]: `export interface ${Name}Dto {
  id: string
  label: string
  upcomingEvents: number
}

export function to${Name}Dto(row: { id: string; name?: string; email?: string }, upcomingEvents: number): ${Name}Dto {
  return { id: row.id, label: row.name ?? row.email ?? row.id, upcomingEvents }
}
`,
    [`${name}.validator.ts`]: `import { ${name.toUpperCase()}_PAGE_SIZE, ${name.toUpperCase()}_MAX_PAGE_SIZE } from './${name}.constants'

export interface ${Name}Query {
  page: number
  limit: number
}

export function validate${Name}Query(query: Record<string, string | undefined>): ${Name}Query {
  const page = Math.max(1, Number(query.page ?? 1) || 1)
  const limit = Math.min(${name.toUpperCase()}_MAX_PAGE_SIZE, Number(query.limit ?? ${name.toUpperCase()}_PAGE_SIZE) || ${name.toUpperCase()}_PAGE_SIZE)
  return { page, limit }
}
`,
    [`${name}.constants.ts`]: `export const ${name.toUpperCase()}_PAGE_SIZE = 20
export const ${name.toUpperCase()}_MAX_PAGE_SIZE = 100
export const ${name.toUpperCase()}_CACHE_SECONDS = ${30 + (module % 60)}
`,
    [`${name}.mapper.ts`]: `import type { ${Name}Dto } from './${name}.dto'

export function ${name}ToCsv(items: ${Name}Dto[]): string {
  const header = 'id,label,upcoming_events'
  const lines = items.map((item) => [item.id, JSON.stringify(item.label), item.upcomingEvents].join(','))
  return [header, ...lines].join('\\n')
}

export function ${name}ById(items: ${Name}Dto[]): Map<string, ${Name}Dto> {
  return new Map(items.map((item) => [item.id, item]))
}
`,
    [`${name}.types.ts`]: `export type ${Name}Status = 'draft' | 'active' | 'archived'

export interface ${Name}Settings {
  status: ${Name}Status
  notifyUser: boolean
  remindBeforeEventMinutes: number
}

export const default${Name}Settings: ${Name}Settings = {
  status: 'draft',
  notifyUser: true,
  remindBeforeEventMinutes: 30,
}
`,
    [`${name}.test.ts`]: `import { ${name}ToCsv } from './${name}.mapper'
import { validate${Name}Query } from './${name}.validator'

export function test${Name}(): void {
  const csv = ${name}ToCsv([{ id: '1', label: 'Ada', upcomingEvents: 2 }])
  if (!csv.includes('Ada')) throw new Error('${name}: csv lost the label')
  const query = validate${Name}Query({ page: '0', limit: '1000' })
  if (query.page !== 1 || query.limit !== 100) throw new Error('${name}: bad limits')
}
`,
    [`${name}.events.ts`]: `import type { ${Name}Dto } from './${name}.dto'

type Listener = (item: ${Name}Dto) => void
const listeners = new Set<Listener>()

export function on${Name}Changed(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function emit${Name}Changed(item: ${Name}Dto): void {
  for (const listener of listeners) listener(item)
}
`,
    'index.ts': `export * from './${name}.controller'
export * from './${name}.dto'
export * from './${name}.service'
export * from './${name}.types'
`,
  };
}
