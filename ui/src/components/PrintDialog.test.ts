import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import PrintButton from './PrintButton.svelte';
import { answer } from '../test/tauri';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const drawPages = vi.hoisted(() => vi.fn(async () => [document.createElement('canvas')]));
vi.mock('../lib/pdf', () => ({ drawPages }));

beforeEach(() => {
  invoke.mockReset();
  drawPages.mockClear();
});

const PDF = new TextEncoder().encode('%PDF-1.7 a letter').buffer as ArrayBuffer;
const cups = { method: 'cups', printers: ['office-mfd', 'reception'], default: 'reception' };

describe('printing from the app', () => {
  it('shows the pages, offers the printers with the default chosen, and sends the previewed bytes', async () => {
    answer(invoke, {
      print_setup: () => cups,
      print_pdf: () => ({ printer: 'office-mfd', job: 'office-mfd-12', documents: 1 }),
    });
    render(PrintButton, { pdf: PDF, title: 'SIA/990008/CONG: Westfield', what: 'the letter as issued' });
    await fireEvent.click(screen.getByRole('button', { name: 'Print…' }));
    expect(screen.getByRole('dialog', { name: 'Print the letter as issued' })).toBeTruthy();
    const printer = (await screen.findByLabelText('Printer')) as HTMLSelectElement;
    expect(printer.value).toBe('reception');
    await waitFor(() => expect(drawPages).toHaveBeenCalled());
    await fireEvent.change(printer, { target: { value: 'office-mfd' } });
    await fireEvent.input(screen.getByLabelText('Copies'), { target: { value: '2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Print' }));
    expect(await screen.findByText('Sent to office-mfd as job office-mfd-12.')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('print_pdf', {
      pdf: Array.from(new Uint8Array(PDF)),
      printer: 'office-mfd',
      copies: 2,
      title: 'SIA/990008/CONG: Westfield',
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('refuses copies out of range beside the field and sends nothing', async () => {
    answer(invoke, { print_setup: () => cups });
    render(PrintButton, { pdf: PDF, title: 'Minutes', what: 'the confidential minutes' });
    await fireEvent.click(screen.getByRole('button', { name: 'Print…' }));
    await fireEvent.input(await screen.findByLabelText('Copies'), { target: { value: '0' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Print' }));
    expect(await screen.findByText('Copies: enter a number from 1 to 99; 0 is not one')).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('print_pdf', expect.anything());
  });

  it('says why nothing can be printed when there is no printer', async () => {
    answer(invoke, {
      print_setup: () => {
        throw 'No printer is set up on this computer (lpstat: no destinations)';
      },
    });
    render(PrintButton, { pdf: PDF, title: 'Letter', what: 'the draft letter' });
    await fireEvent.click(screen.getByRole('button', { name: 'Print…' }));
    expect(await screen.findByText('No printer is set up on this computer (lpstat: no destinations)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Print' })).toBeNull();
  });

  it('prints a written batch as one job of its files, in order', async () => {
    const files = ['/home/adviser/Letters/990001.pdf', '/home/adviser/Letters/990008.pdf'];
    answer(invoke, {
      print_setup: () => cups,
      print_files: () => ({ printer: 'reception', job: 'reception-3', documents: 2 }),
    });
    render(PrintButton, { files, title: 'Letters: Congratulations (2)', what: '2 letters', label: 'Print all as one job' });
    await fireEvent.click(screen.getByRole('button', { name: 'Print all as one job' }));
    expect((await screen.findByText(/These 2 letters print, in this order, as one job/)).textContent).toBeTruthy();
    await fireEvent.click(await screen.findByRole('button', { name: 'Print' }));
    expect(await screen.findByText('Sent to reception as job reception-3 (2 documents).')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('print_files', {
      paths: files,
      printer: 'reception',
      copies: 1,
      title: 'Letters: Congratulations (2)',
    });
  });

  it('hands over to the webview print dialog where there is no CUPS', async () => {
    answer(invoke, { print_setup: () => ({ method: 'webview' }) });
    const print = vi.spyOn(window, 'print').mockImplementation(() => {});
    render(PrintButton, { pdf: PDF, title: 'Letter', what: 'the letter' });
    await fireEvent.click(screen.getByRole('button', { name: 'Print…' }));
    await screen.findByText('Your computer’s print dialog chooses the printer and copies.');
    await fireEvent.click(document.getElementById('print-system') as HTMLElement);
    expect(print).toHaveBeenCalled();
  });
});
