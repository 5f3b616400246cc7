import type { Schemas } from '../../api/client';
import { Avatar, mediaContentUrl } from '../../components/Avatar';
import { Empty, ErrorNote, Loading } from '../../components/Status';
import { useRelated, useRelationship } from '../../data/safety';
import { Link } from 'react-router';

function Entry({ person, which }: { person: Schemas['RelatedUserEntry']; which: 'block' | 'mute' }) {
  const undo = useRelationship(person.id, person.username, which);
  return (
    <li>
      <Avatar src={mediaContentUrl(person.avatarMediaId)} name={person.displayName || person.username} size={32} />
      <Link to={`/@${person.username}`}>
        {person.displayName || person.username} <span className="muted">@{person.username}</span>
      </Link>
      <button type="button" className="secondary" disabled={undo.isPending} onClick={() => undo.mutate(false)}>
        {which === 'block' ? 'Unblock' : 'Unmute'}
        <span className="visually-hidden"> @{person.username}</span>
      </button>
      {undo.isError && <ErrorNote error={undo.error} />}
    </li>
  );
}

function RelatedList({ which }: { which: 'block' | 'mute' }) {
  const list = useRelated(which);
  const title = which === 'block' ? 'People you block' : 'People you mute';
  return (
    <>
      <h3>{title}</h3>
      {list.isPending && <Loading what={title.toLowerCase()} />}
      {list.isError && <ErrorNote error={list.error} retry={() => void list.refetch()} />}
      {list.isSuccess && list.data.items.length === 0 && <Empty>Nobody.</Empty>}
      {list.isSuccess && list.data.items.length > 0 && (
        <ul className="people" aria-label={title}>
          {list.data.items.map((p) => (
            <Entry key={p.id} person={p} which={which} />
          ))}
        </ul>
      )}
    </>
  );
}

/** Whom I block and mute, with the undo (also on each profile). */
export function BlockedAndMuted() {
  return (
    <section aria-labelledby="blocked-muted">
      <h2 id="blocked-muted">Blocked and muted</h2>
      <RelatedList which="block" />
      <RelatedList which="mute" />
    </section>
  );
}
