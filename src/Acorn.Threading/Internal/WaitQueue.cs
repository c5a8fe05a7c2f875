namespace Acorn.Threading.Internal;

/// <summary>An intrusive FIFO list of wait nodes; every member is used under the owner's lock.</summary>
internal struct WaitQueue
{
    private WaitNode? _head;
    private WaitNode? _tail;

    internal readonly WaitNode? First => _head;

    internal readonly bool IsEmpty => _head is null;

    internal void Append(WaitNode node)
    {
        node.Previous = _tail;
        node.Next = null;
        if (_tail is null)
        {
            _head = node;
        }
        else
        {
            _tail.Next = node;
        }

        _tail = node;
    }

    internal void Remove(WaitNode node)
    {
        if (node.Previous is null)
        {
            _head = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }

        if (node.Next is null)
        {
            _tail = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }

        node.Previous = null;
        node.Next = null;
    }

    internal WaitNode? TakeFirst()
    {
        var head = _head;
        if (head is not null)
        {
            Remove(head);
        }

        return head;
    }
}
